// The version diff drawn on the diagrams: the old version with its removed and changed elements, the new one with
// its added and changed elements, from the engine's element-by-element diff (engine/bpmn/diff.py), both read-only.
(async function () {
  const root = document.getElementById('diff');
  const result = JSON.parse(root.dataset.result);
  const descriptor = await (await fetch(root.dataset.moddle)).json();
  async function draw(container, url, marks) {
    const viewer = new BpmnJS({ container, moddleExtensions: { spiffworkflow: descriptor } });
    await viewer.importXML(await (await fetch(url)).text());
    const canvas = viewer.get('canvas'), registry = viewer.get('elementRegistry');
    canvas.zoom('fit-viewport');
    for (const [items, marker] of marks) {
      for (const item of items) { if (registry.get(item.id)) canvas.addMarker(item.id, marker); }
    }
    return viewer;
  }
  const [oldViewer, newViewer] = await Promise.all([
    draw('#diff-old', root.dataset.oldXml, [[result.removed, 'diff-removed'], [result.changed, 'diff-changed']]),
    draw('#diff-new', root.dataset.newXml, [[result.added, 'diff-added'], [result.changed, 'diff-changed']]),
  ]);
  // A row of the table shows its element on both diagrams.
  for (const row of document.querySelectorAll('[data-element]')) {
    row.addEventListener('click', () => {
      for (const viewer of [oldViewer, newViewer]) {
        const element = viewer.get('elementRegistry').get(row.dataset.element);
        if (element) { viewer.get('selection').select(element); viewer.get('canvas').scrollToElement(element); }
      }
    });
  }
  window.licensingDiff = { oldViewer, newViewer };
  root.dataset.ready = '1';
})();
