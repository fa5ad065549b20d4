// The analyst's BPMN editor: bpmn-js modeler plus a panel for what this system needs on an element.
// Read-only pages load bpmn-js's NavigatedViewer instead (no palette, no editing) and show the panel disabled.
// Names are edited in the analyst's language: in Kazakh or Russian the canvas shows and edits name_kk / name_ru,
// and the English name stays as it was (see names below).
(async function () {
  const root = document.getElementById('editor');
  const csrf = root.dataset.csrf, lang = root.dataset.lang || 'en', readonly = root.dataset.readonly === '1';
  const texts = JSON.parse(root.dataset.texts || '{}');
  const descriptor = await (await fetch(root.dataset.moddle)).json();
  const modeler = new BpmnJS({ container: '#canvas', moddleExtensions: { spiffworkflow: descriptor } });
  window.licensingModeler = modeler;
  const moddle = modeler.get('moddle');

  // --- per-language names --------------------------------------------------------------------------------------
  // The diagram keeps English in `name` and the other languages in the properties name_kk / name_ru. While the
  // analyst works in kk or ru the business objects carry that language in `name` (so the canvas, direct editing
  // and the panel all speak it); english[id] keeps the English name, and saving puts both back in their places.
  const translated = lang !== 'en';
  const english = {}; // id -> English name, for every flow element named at import
  const isNamed = bo => bo && bo.$instanceOf && bo.$instanceOf('bpmn:FlowElement');

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
  function putProp(bo, name, value) {
    if (!value && !getProp(bo, name)) return;
    const p = props(bo);
    p.properties = p.properties || [];
    let item = p.properties.find(x => x.name === name);
    if (!value) { if (item) p.properties.splice(p.properties.indexOf(item), 1); return; }
    if (!item) { item = moddle.create('spiffworkflow:Property', { name }); p.properties.push(item); }
    item.value = value;
  }

  if (translated) {
    modeler.on('import.parse.complete', event => {
      for (const bo of Object.values(event.elementsById || {})) {
        if (!isNamed(bo)) continue;
        english[bo.id] = bo.name || '';
        const own = getProp(bo, 'name_' + lang);
        if (own) bo.name = own;
      }
    });
  }
  function nameIn(bo, which) {
    if (which === lang) return bo.name || '';
    if (which === 'en') return bo.id in english ? english[bo.id] : (bo.name || '');
    return getProp(bo, 'name_' + which);
  }
  // The XML to save: English back in `name`, the analyst's language in its property.
  async function exportXML() {
    if (!translated) return (await modeler.saveXML({ format: true })).xml;
    const swapped = [];
    for (const element of modeler.get('elementRegistry').getAll()) {
      const bo = element.businessObject;
      if (!isNamed(bo) || element.type === 'label' || swapped.some(s => s[0] === bo)) continue;
      const shown = bo.name || '';
      const before = bo.id in english ? english[bo.id] : null;
      if (before === null) { putProp(bo, 'name_' + lang, shown); continue; } // drawn here: its name is a translation
      if (getProp(bo, 'name_' + lang) || shown !== before) putProp(bo, 'name_' + lang, shown);
      bo.name = before || undefined;
      swapped.push([bo, shown]);
    }
    try { return (await modeler.saveXML({ format: true })).xml; } finally {
      for (const [bo, shown] of swapped) bo.name = shown || undefined;
    }
  }

  const xml = await (await fetch(root.dataset.xml)).text();
  const result = await modeler.importXML(xml);
  document.getElementById('import-warnings').textContent = result.warnings.length ? result.warnings.length + ' import warnings' : '';
  root.dataset.warnings = String(result.warnings.length);
  if (result.warnings.length) { console.warn('bpmn import warnings', result.warnings.map(w => w.message).join(' | ')); }
  const canvas = modeler.get('canvas'), registry = modeler.get('elementRegistry');
  const modeling = readonly ? null : modeler.get('modeling');
  canvas.zoom('fit-viewport');
  const terms = JSON.parse(root.dataset.terms || '[]'), roles = JSON.parse(root.dataset.roles || '{}');
  let current = null;

  // --- the panel -----------------------------------------------------------------------------------------------
  const $ = id => document.getElementById(id);
  function touch(element) { modeling.updateProperties(element, { extensionElements: element.businessObject.extensionElements }); }
  function setProp(element, name, value) { putProp(element.businessObject, name, value); touch(element); }
  function timerDef(bo) {
    const d = (bo.eventDefinitions || []).find(x => x.$type === 'bpmn:TimerEventDefinition');
    return d ? (d.timeDate || null) : null;
  }
  function operator(bo) {
    return bo.extensionElements && bo.extensionElements.values.find(v => v.$type === 'spiffworkflow:ServiceTaskOperator');
  }
  function gatewayOf(flow) {
    const source = flow.source;
    return source && /Gateway$/.test(source.type) && source.type !== 'bpmn:ParallelGateway' ? source : null;
  }
  const COUNT = /^(\s*(?:add|subtract)_working_days\()(.*),\s*(\d+)(\)\s*)$/s;
  const LABEL_DAYS = /(\d+)(\s*(?:working\s+days?\b|жұмыс\s+күн|рабоч(?:ий|их|его)\s+д[енья]))/gi;
  function termOf(bo, expression) {
    const clauses = getProp(bo, 'clause').split(',').map(c => c.trim());
    const m = COUNT.exec(expression || '');
    return terms.findIndex(term => clauses.includes(term.clause) && (!m || Number(m[3]) === term.days));
  }
  function show(element) {
    const panel = $('panel');
    // a field still being edited belongs to the element shown so far: let its change land there first
    if (element !== current && panel.contains(document.activeElement)) document.activeElement.blur();
    current = element;
    if (!element || element.type === 'bpmn:Process' || element.type === 'bpmn:Collaboration' || element.type === 'label') {
      panel.hidden = true; return;
    }
    panel.hidden = false;
    const bo = element.businessObject, type = element.type;
    $('prop-id').textContent = bo.id + ' · ' + type.replace('bpmn:', '');
    const isLane = type === 'bpmn:Lane', isFlow = type === 'bpmn:SequenceFlow';
    $('row-names').hidden = isLane;
    for (const which of ['en', 'kk', 'ru']) $('prop-name-' + which).value = isLane ? '' : nameIn(bo, which);
    $('row-clause').hidden = isLane || isFlow;
    $('prop-clause').value = getProp(bo, 'clause');
    $('row-role').hidden = !isLane;
    if (isLane) $('prop-role').value = bo.name || '';
    const lane = registry.filter(e => e.type === 'bpmn:Lane' && (e.businessObject.flowNodeRef || []).includes(bo))[0];
    $('row-lane').hidden = isLane || isFlow;
    $('prop-lane').textContent = lane ? (roles[lane.businessObject.name] || lane.businessObject.name) : '—';
    const gateway = isFlow ? gatewayOf(element) : null;
    $('row-condition').hidden = !gateway;
    if (gateway) {
      $('prop-condition').value = bo.conditionExpression ? (bo.conditionExpression.body || '') : '';
      $('prop-default').checked = gateway.businessObject.default === bo;
    }
    const isUser = type === 'bpmn:UserTask', isService = type === 'bpmn:ServiceTask', timer = timerDef(bo);
    $('row-form').hidden = !isUser;
    $('row-operator').hidden = !isService;
    $('row-timer').hidden = !timer;
    if (isUser) $('prop-form').value = getProp(bo, 'form');
    if (isService) { const op = operator(bo); $('prop-operator').value = op ? op.id : '';
      $('prop-params').value = op && op.parameters ? op.parameters.parameters.map(p => p.id + '=' + p.value).join('\n') : ''; }
    if (timer) { $('prop-timer').value = timer.body || ''; $('prop-term').value = String(termOf(bo, timer.body)); }
  }
  modeler.get('eventBus').on('selection.changed', e => show(e.newSelection[0]));
  if (!readonly) {
    modeler.get('eventBus').on('elements.changed', e => { if (current && e.elements.includes(current)) show(current); });
  }
  if (readonly) { root.dataset.ready = '1'; return; }

  function rename(element, which, value) {
    const bo = element.businessObject;
    if (which === lang) modeling.updateProperties(element, { name: value });
    else if (which === 'en' && translated) { english[bo.id] = value; modeling.updateProperties(element, {}); }
    else if (which === 'en') modeling.updateProperties(element, { name: value });
    else setProp(element, 'name_' + which, value);
  }
  for (const which of ['en', 'kk', 'ru']) {
    $('prop-name-' + which).addEventListener('change', e => current && rename(current, which, e.target.value));
  }
  $('prop-clause').addEventListener('change', e => current && setProp(current, 'clause', e.target.value.trim()));
  $('prop-role').addEventListener('change', e => current && modeling.updateProperties(current, { name: e.target.value }));
  $('prop-condition').addEventListener('change', e => {
    if (!current || !gatewayOf(current)) return; const body = e.target.value.trim();
    modeling.updateProperties(current, { conditionExpression: body ? moddle.create('bpmn:FormalExpression', { body }) : undefined });
  });
  $('prop-default').addEventListener('change', e => {
    if (!current) return; const gateway = gatewayOf(current); if (!gateway) return;
    const isDefault = gateway.businessObject.default === current.businessObject;
    if (e.target.checked && !isDefault) modeling.updateProperties(gateway, { default: current.businessObject });
    if (!e.target.checked && isDefault) modeling.updateProperties(gateway, { default: undefined });
  });
  $('prop-form').addEventListener('change', e => current && setProp(current, 'form', e.target.value));
  $('prop-operator').addEventListener('change', e => {
    if (!current) return; const bo = current.businessObject; let op = operator(bo);
    if (!op) { op = moddle.create('spiffworkflow:ServiceTaskOperator', {}); ext(bo).values.push(op); }
    op.id = e.target.value; if (!op.resultVariable) op.resultVariable = bo.id + '_result';
    touch(current);
  });
  $('prop-params').addEventListener('change', e => {
    if (!current) return; const bo = current.businessObject, op = operator(bo); if (!op) return;
    const params = e.target.value.split('\n').filter(l => l.includes('=')).map(l => {
      const i = l.indexOf('='); return moddle.create('spiffworkflow:Parameter', { id: l.slice(0, i).trim(), type: 'str', value: l.slice(i + 1).trim() }); });
    op.parameters = moddle.create('spiffworkflow:Parameters', { parameters: params });
    touch(current);
  });
  $('prop-timer').addEventListener('change', e => {
    if (!current) return; const t = timerDef(current.businessObject);
    if (t) modeling.updateModdleProperties(current, t, { body: e.target.value });
  });
  // A term's own label in each language, as the diagrams write it: "2 working days (R7)", "2 рабочих дня (п. 7)",
  // "2 жұмыс күні (7-т.)"; "(A3.4)" is "(прил. 3, п. 4)" and "(3-қос., 4-т.)".
  function clauseRef(clause, which) {
    const annex = /^A(\d+)\.(.+)$/.exec(clause), rule = /^R(.+)$/.exec(clause);
    if (which === 'ru') return annex ? 'прил. ' + annex[1] + ', п. ' + annex[2] : rule ? 'п. ' + rule[1] : clause;
    if (which === 'kk') return annex ? annex[1] + '-қос., ' + annex[2] + '-т.' : rule ? rule[1] + '-т.' : clause;
    return clause;
  }
  function russianDays(n) {
    const last = n % 10, tens = n % 100;
    if (last === 1 && tens !== 11) return n + ' рабочий день';
    return n + (last >= 2 && last <= 4 && (tens < 12 || tens > 14) ? ' рабочих дня' : ' рабочих дней');
  }
  function termLabel(term, which) {
    if (which === 'ru') return russianDays(term.days) + ' (' + clauseRef(term.clause, 'ru') + ')';
    if (which === 'kk') return term.days + ' жұмыс күні (' + clauseRef(term.clause, 'kk') + ')';
    return term.days + (term.days === 1 ? ' working day' : ' working days') + ' (' + term.clause + ')';
  }
  const TERM_LABEL = /^\d+\s*(?:working\s+days?|жұмыс\s+күні|рабоч(?:ий\s+день|их\s+дня|их\s+дней))\s*\([^()]*\)$/i;
  // A term picked from the terms table binds the timer to its clause: the clause, the count of working days in the
  // expression and the timer's labels follow the table. A label that is just the term is written anew in each
  // language; another English label has its count and clause replaced; another kk or ru label is left for the
  // analyst (validation names it if it disagrees with the table).
  $('prop-term').addEventListener('change', e => {
    const term = terms[Number(e.target.value)]; if (!current || !term) return;
    const bo = current.businessObject, t = timerDef(bo); if (!t) return;
    const m = COUNT.exec(t.body || '');
    const previous = terms[termOf(bo, t.body)] || terms.find(x => getProp(bo, 'clause').split(',').map(c => c.trim()).includes(x.clause));
    const fn = /backwards/.test(term.start_event) ? 'subtract_working_days' : 'add_working_days';
    const body = m ? m[1] + m[2] + ', ' + term.days + m[4] : fn + "(registration['registered_at'], " + term.days + ')';
    modeling.updateModdleProperties(current, t, { body });
    putProp(bo, 'clause', term.clause);
    for (const which of ['en', 'kk', 'ru']) {
      const label = nameIn(bo, which);
      let relabelled = label;
      if (TERM_LABEL.test(label.trim())) relabelled = termLabel(term, which);
      else if (which === 'en') {
        relabelled = label.replace(LABEL_DAYS, (_, n, unit) => term.days + unit);
        if (previous) relabelled = relabelled.split('(' + previous.clause + ')').join('(' + term.clause + ')');
      }
      if (relabelled !== label) rename(current, which, relabelled);
    }
    touch(current);
  });

  // --- validate, save, deploy ------------------------------------------------------------------------------------
  async function post(url, body) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf }, body: JSON.stringify(body) });
    return [r.status, await r.json()];
  }
  function report(data, okText) {
    registry.getAll().forEach(e => canvas.removeMarker(e.id, 'invalid'));
    const list = $('problems'); list.innerHTML = '';
    const errors = data.errors || [];
    for (const err of errors) {
      const li = document.createElement('li');
      li.textContent = (err.line ? (texts.line || 'line') + ' ' + err.line + ': ' : '') + err.message + (err.field ? ' [' + err.field + ']' : '');
      if (err.field && registry.get(err.field)) { canvas.addMarker(err.field, 'invalid'); li.dataset.element = err.field;
        li.addEventListener('click', () => modeler.get('selection').select(registry.get(err.field))); }
      list.appendChild(li);
    }
    $('status').textContent = errors.length ? (texts.errors || 'Errors') + ': ' + errors.length : okText;
    root.dataset.state = errors.length ? 'invalid' : 'valid';
  }
  async function validate(okText) {
    const [, data] = await post(root.dataset.validate, { xml: await exportXML() });
    report(data, okText);
  }
  $('validate').addEventListener('click', () => validate(texts.valid || 'valid'));
  // A saved draft is validated at once (the sandbox evaluates its expressions): the analyst sees what to fix.
  $('save').addEventListener('click', async () => {
    root.dataset.state = 'saving';
    const [status] = await post(root.dataset.draft, { xml: await exportXML() });
    if (status !== 200) { $('status').textContent = texts.not_saved || 'not saved'; root.dataset.state = 'error'; return; }
    root.dataset.saved = '1';
    await validate((texts.saved || 'saved') + ' · ' + (texts.valid || 'valid'));
    if (root.dataset.state === 'invalid') $('status').textContent = (texts.saved || 'saved') + ' · ' + $('status').textContent;
  });
  $('deploy').addEventListener('click', async () => {
    const [status, data] = await post(root.dataset.deploy, { xml: await exportXML() });
    if (status === 201 || status === 200) {
      root.dataset.state = 'deployed'; $('status').textContent = (texts.deployed || 'version') + ' ' + data.version + ' · ';
      const link = document.createElement('a'); link.id = 'deployed-diff';
      link.href = root.dataset.diff + '?from=' + encodeURIComponent(root.dataset.version) + '&to=' + encodeURIComponent(data.version);
      link.textContent = 'v' + root.dataset.version + ' → v' + data.version; $('status').appendChild(link);
    }
    else report(data, '');
  });

  // --- trial run on the simulated clock --------------------------------------------------------------------------
  // The server replays the list of actions on a fresh in-memory run each time (engine/bpmn/trial.py); nothing is
  // stored. The path taken is marked on the canvas, the task waiting for a person too.
  const trial = $('trial');
  let actions = [];
  // moments in the analyst's language and Astana time; the ISO value stays in the <time> element's datetime
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Almaty' });
  function moment(iso) {
    const t = document.createElement('time'); t.dateTime = iso; t.textContent = dateFormat.format(new Date(iso)); return t;
  }
  function item(parent, title, ...detail) {
    const div = document.createElement('div'); div.className = 'trial-item';
    const strong = document.createElement('strong'); strong.textContent = title; div.appendChild(strong);
    if (detail.length) { const p = document.createElement('div'); p.className = 'muted'; p.append(...detail); div.appendChild(p); }
    parent.appendChild(div); return div;
  }
  function shownName(id, fallback) { const e = registry.get(id); return (e && e.businessObject.name) || fallback || id; }
  function mark(run) {
    registry.getAll().forEach(e => { canvas.removeMarker(e.id, 'trial-done'); canvas.removeMarker(e.id, 'trial-waiting'); });
    if (!run) return;
    for (const s of run.steps) if (registry.get(s.element)) canvas.addMarker(s.element, 'trial-done');
    for (const w of run.waiting) if (registry.get(w.element)) canvas.addMarker(w.element, 'trial-waiting');
  }
  async function runTrial() {
    let results = {};
    try { results = JSON.parse($('trial-results').value || '{}'); } catch (e) { results = null; }
    const errors = $('trial-errors'); errors.innerHTML = '';
    if (!results || typeof results !== 'object') { const li = document.createElement('li'); li.textContent = 'JSON'; errors.appendChild(li); return; }
    trial.dataset.state = 'running';
    const run = { start_at: $('trial-start').value.trim(), results, actions };
    const [status, data] = await post(trial.dataset.url, { xml: await exportXML(), run });
    if (status !== 200) { // the refused action is dropped; what the run showed before stays on screen
      actions.pop();
      for (const err of data.errors || []) { const li = document.createElement('li'); li.textContent = err.message + (err.field ? ' [' + err.field + ']' : ''); errors.appendChild(li); }
      trial.dataset.state = 'error'; return;
    }
    $('trial-waiting').innerHTML = ''; $('trial-timers').innerHTML = ''; $('trial-steps').innerHTML = '';
    if (!$('trial-results').value.trim()) $('trial-results').value = JSON.stringify(data.results, null, 1);
    $('trial-clock').replaceChildren((texts.trial_clock || 'time') + ': ', moment(data.now), data.completed ? ' · ' + (texts.trial_done || 'ended') : '');
    if (data.failure) { const li = document.createElement('li'); li.textContent = data.failure; errors.appendChild(li); }
    for (const s of data.steps) {
      const li = document.createElement('li'); li.dataset.element = s.element;
      li.append(moment(s.at), ' · ' + shownName(s.element, s.name) + (s.clause ? ' (' + s.clause + ')' : ''));
      $('trial-steps').appendChild(li);
    }
    for (const w of data.waiting) {
      const div = item($('trial-waiting'), (texts.trial_waiting || 'waiting') + ': ' + shownName(w.element, w.name), (w.form || '') + (w.lane ? ' · ' + (roles[w.lane] || w.lane) : ''));
      div.dataset.element = w.element;
      const area = document.createElement('textarea'); area.rows = 3; area.spellcheck = false; area.value = '{}';
      area.setAttribute('aria-label', (w.name || w.element) + ' JSON'); div.appendChild(area);
      const button = document.createElement('button'); button.className = 'secondary trial-complete'; button.textContent = texts.trial_complete || 'Complete';
      button.addEventListener('click', () => {
        let value; try { value = JSON.parse(area.value || '{}'); } catch (e) { area.setAttribute('aria-invalid', 'true'); return; }
        actions.push({ complete: w.element, data: value }); runTrial();
      });
      div.appendChild(button);
    }
    for (const timer of data.timers) {
      const div = item($('trial-timers'), (texts.trial_timers || 'timer') + ': ' + shownName(timer.element, timer.name), moment(timer.due_at), timer.clause ? ' · ' + timer.clause : '');
      div.dataset.element = timer.element;
      const button = document.createElement('button'); button.className = 'secondary trial-advance'; button.textContent = texts.trial_advance || 'Advance';
      button.addEventListener('click', () => { actions.push({ advance_to: timer.due_at }); runTrial(); });
      div.appendChild(button);
    }
    mark(data);
    trial.dataset.state = data.failure ? 'failed' : (data.completed ? 'completed' : 'waiting');
    trial.dataset.steps = String(actions.length);
  }
  $('trial-begin').addEventListener('click', () => { actions = []; runTrial(); });

  root.dataset.ready = '1';
})();
