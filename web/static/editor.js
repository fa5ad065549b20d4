// The analyst's BPMN editor: bpmn-js modeler plus a small panel for what this system needs on an element.
(async function () {
  const root = document.getElementById('editor');
  const csrf = root.dataset.csrf;
  const descriptor = await (await fetch(root.dataset.moddle)).json();
  const modeler = new BpmnJS({ container: '#canvas', moddleExtensions: { spiffworkflow: descriptor } });
  window.licensingModeler = modeler;
  const xml = await (await fetch(root.dataset.xml)).text();
  const result = await modeler.importXML(xml);
  document.getElementById('import-warnings').textContent = result.warnings.length ? result.warnings.length + ' import warnings' : '';
  root.dataset.warnings = String(result.warnings.length);
  if (result.warnings.length) { console.warn('bpmn import warnings', result.warnings.map(w => w.message).join(' | ')); }
  const canvas = modeler.get('canvas'), modeling = modeler.get('modeling'), moddle = modeler.get('moddle');
  const registry = modeler.get('elementRegistry');
  canvas.zoom('fit-viewport');
  const forms = JSON.parse(root.dataset.forms), operations = JSON.parse(root.dataset.operations);
  let current = null;

  function ext(bo) {
    if (!bo.extensionElements) { bo.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [] }); }
    return bo.extensionElements;
  }
  function props(bo) {
    const e = ext(bo);
    let p = e.values.find(v => v.$type === 'spiffworkflow:Properties');
    if (!p) { p = moddle.create('spiffworkflow:Properties', { properties: [] }); e.values.push(p); }
    return p;
  }
  function getProp(bo, name) {
    const e = bo.extensionElements; if (!e) return '';
    const p = e.values.find(v => v.$type === 'spiffworkflow:Properties');
    const item = p && (p.properties || []).find(x => x.name === name);
    return item ? item.value : '';
  }
  function setProp(element, name, value) {
    const bo = element.businessObject, p = props(bo);
    p.properties = p.properties || [];
    let item = p.properties.find(x => x.name === name);
    if (!item) { item = moddle.create('spiffworkflow:Property', { name }); p.properties.push(item); }
    item.value = value;
    modeling.updateProperties(element, { extensionElements: bo.extensionElements });
  }
  function timerDef(bo) {
    const d = (bo.eventDefinitions || []).find(x => x.$type === 'bpmn:TimerEventDefinition');
    return d ? (d.timeDate || null) : null;
  }
  function operator(bo) {
    return bo.extensionElements && bo.extensionElements.values.find(v => v.$type === 'spiffworkflow:ServiceTaskOperator');
  }
  function show(element) {
    current = element;
    const panel = document.getElementById('panel');
    if (!element || element.type === 'bpmn:Process' || element.type === 'bpmn:Collaboration') { panel.hidden = true; return; }
    panel.hidden = false;
    const bo = element.businessObject;
    document.getElementById('prop-id').textContent = bo.id + ' · ' + element.type.replace('bpmn:', '');
    document.getElementById('prop-name').value = bo.name || '';
    document.getElementById('prop-clause').value = getProp(bo, 'clause');
    const lane = registry.filter(e => e.type === 'bpmn:Lane' && (e.businessObject.flowNodeRef || []).includes(bo))[0];
    document.getElementById('prop-lane').textContent = lane ? lane.businessObject.name : '—';
    const isUser = element.type === 'bpmn:UserTask', isService = element.type === 'bpmn:ServiceTask', timer = timerDef(bo);
    document.getElementById('row-form').hidden = !isUser;
    document.getElementById('row-operator').hidden = !isService;
    document.getElementById('row-timer').hidden = !timer;
    if (isUser) document.getElementById('prop-form').value = getProp(bo, 'form');
    if (isService) { const op = operator(bo); document.getElementById('prop-operator').value = op ? op.id : '';
      document.getElementById('prop-params').value = op && op.parameters ? op.parameters.parameters.map(p => p.id + '=' + p.value).join('\n') : ''; }
    if (timer) document.getElementById('prop-timer').value = timer.body || '';
  }
  modeler.get('eventBus').on('selection.changed', e => show(e.newSelection[0]));
  document.getElementById('prop-name').addEventListener('change', e => current && modeling.updateProperties(current, { name: e.target.value }));
  document.getElementById('prop-clause').addEventListener('change', e => current && setProp(current, 'clause', e.target.value));
  document.getElementById('prop-form').addEventListener('change', e => current && setProp(current, 'form', e.target.value));
  document.getElementById('prop-operator').addEventListener('change', e => {
    if (!current) return; const bo = current.businessObject; let op = operator(bo);
    if (!op) { op = moddle.create('spiffworkflow:ServiceTaskOperator', {}); ext(bo).values.push(op); }
    op.id = e.target.value; if (!op.resultVariable) op.resultVariable = bo.id + '_result';
    modeling.updateProperties(current, { extensionElements: bo.extensionElements });
  });
  document.getElementById('prop-params').addEventListener('change', e => {
    if (!current) return; const bo = current.businessObject, op = operator(bo); if (!op) return;
    const params = e.target.value.split('\n').filter(l => l.includes('=')).map(l => {
      const i = l.indexOf('='); return moddle.create('spiffworkflow:Parameter', { id: l.slice(0, i).trim(), type: 'str', value: l.slice(i + 1).trim() }); });
    op.parameters = moddle.create('spiffworkflow:Parameters', { parameters: params });
    modeling.updateProperties(current, { extensionElements: bo.extensionElements });
  });
  document.getElementById('prop-timer').addEventListener('change', e => {
    if (!current) return; const t = timerDef(current.businessObject);
    if (t) modeling.updateModdleProperties(current, t, { body: e.target.value });
  });

  async function post(url, body) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf }, body: JSON.stringify(body) });
    return [r.status, await r.json()];
  }
  function report(status, data, okText) {
    registry.getAll().forEach(e => canvas.removeMarker(e.id, 'invalid'));
    const list = document.getElementById('problems'); list.innerHTML = '';
    const errors = data.errors || [];
    for (const err of errors) {
      const li = document.createElement('li');
      li.textContent = (err.line ? 'line ' + err.line + ': ' : '') + err.message + (err.field ? ' [' + err.field + ']' : '');
      if (err.field && registry.get(err.field)) { canvas.addMarker(err.field, 'invalid'); li.dataset.element = err.field;
        li.addEventListener('click', () => modeler.get('selection').select(registry.get(err.field))); }
      list.appendChild(li);
    }
    document.getElementById('status').textContent = errors.length ? errors.length + ' ✗' : okText;
    root.dataset.state = errors.length ? 'invalid' : 'valid';
  }
  document.getElementById('validate')?.addEventListener('click', async () => {
    const { xml } = await modeler.saveXML({ format: true });
    const [status, data] = await post(root.dataset.validate, { xml }); report(status, data, '✓ valid');
  });
  document.getElementById('save')?.addEventListener('click', async () => {
    const { xml } = await modeler.saveXML({ format: true });
    const [status] = await post(root.dataset.draft, { xml }); document.getElementById('status').textContent = status === 200 ? '✓ draft saved' : 'error';
  });
  document.getElementById('deploy')?.addEventListener('click', async () => {
    const { xml } = await modeler.saveXML({ format: true });
    const [status, data] = await post(root.dataset.deploy, { xml });
    if (status === 201 || status === 200) { root.dataset.state = 'deployed'; document.getElementById('status').textContent = '✓ version ' + data.version; }
    else report(status, data, '');
  });
  root.dataset.ready = '1';
})();
