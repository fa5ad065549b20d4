// The auditor's instance page: the diagram with the elements done (and how often) and the ones active now.
(async function () {
  const el = document.getElementById('diagram');
  const viewer = new BpmnJS({ container: el });
  const xml = await (await fetch(el.dataset.xml)).text();
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas'), overlays = viewer.get('overlays'), registry = viewer.get('elementRegistry');
  canvas.zoom('fit-viewport');
  const done = JSON.parse(el.dataset.done), active = JSON.parse(el.dataset.active);
  for (const [id, n] of Object.entries(done)) {
    if (!registry.get(id)) continue;
    canvas.addMarker(id, 'done');
    const badge = document.createElement('span');
    badge.className = 'run-count';
    badge.textContent = String(n);
    overlays.add(id, { position: { top: -10, right: 10 }, html: badge });
  }
  for (const id of active) { if (registry.get(id)) canvas.addMarker(id, 'current'); }
  el.dataset.ready = '1';
})();
