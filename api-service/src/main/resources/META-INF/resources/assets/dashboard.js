'use strict';

(() => {
  const STATUSES = ['PENDING', 'SCHEDULED', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'REVOKED'];
  const FINAL = new Set(['SUCCESS', 'FAILURE', 'REVOKED']);
  const tasks = new Map();            // id → latest known view of the task
  const finished = [];                // [time ms, failed?] for the chart
  const queueSamples = new Map();     // queue → {at, depth} for rates
  let counts = {};
  let selected = null;

  const $ = id => document.getElementById(id);
  const el = Hotpot.el;

  // ---- counts by status
  function renderCounts() {
    $('counts').replaceChildren(...STATUSES.map(s => el('div', { class: 'count count-' + s.toLowerCase(), id: 'count-' + s },
      el('span', { class: 'count-n' }, counts[s] || 0), el('span', { class: 'count-label' }, s))));
  }

  async function loadStats() {
    try {
      counts = await Hotpot.api('/api/tasks/stats');
      renderCounts();
    } catch (err) { /* keep the last counts */ }
  }

  // ---- recent tasks, live
  function summary(t) {
    if (t.status === 'FAILURE' || t.status === 'RETRY') return t.error ? `${t.error.type}: ${t.error.message}` : '';
    if (t.result !== undefined && t.result !== null) return JSON.stringify(t.result);
    if (t.progress) return `${t.progress.percent}% ${t.progress.message || ''}`;
    return '';
  }

  function renderTasks() {
    const rows = [...tasks.values()].sort((a, b) => (b.updated || 0) - (a.updated || 0)).slice(0, 50);
    $('tasks').tBodies[0].replaceChildren(...rows.map(t => el('tr', { 'data-id': t.id, class: 'clickable', onclick: () => select(t.id) },
      el('td', {}, el('code', {}, t.id.slice(0, 8))),
      el('td', {}, t.type || ''),
      el('td', {}, el('span', { class: 'status status-' + (t.status || '').toLowerCase() }, t.status)),
      el('td', {}, t.attempts ?? ''),
      el('td', {}, t.worker || ''),
      el('td', { class: 'ellipsis' }, summary(t)),
      el('td', {}, Hotpot.time(t.updated)))));
  }

  // How far a task has come: attempts started, then the step within the attempt.
  const STEP = { PENDING: 0, SCHEDULED: 0, STARTED: 1, RETRY: 2, SUCCESS: 3, FAILURE: 3, REVOKED: 3 };
  function behind(update, known) {
    if (!known.status) return false;
    const a = update.attempts || 0;
    const b = known.attempts || 0;
    return a < b || (a === b && STEP[update.status] < STEP[known.status]);
  }

  // live: a frame of /ws/tasks, which carries a task's changes in the order they happened (a dead
  // letter re-queued goes back to PENDING there). Anything else is a snapshot read by a request
  // (the submission's answer, a task, the recent list), which a frame may have overtaken on the way:
  // one that is behind what the page knows is dropped, or the row would go back to STARTED for good.
  function merge(update, live) {
    const previous = tasks.get(update.id) || {};
    if (!live && behind(update, previous)) return;
    const wasFinal = FINAL.has(previous.status);
    const t = Object.assign({}, previous, update);
    t.updated = Date.parse(update.at || update.finishedAt || update.startedAt || update.createdAt) || Date.now();
    tasks.set(t.id, t);
    if (previous.status !== t.status && update.at) {
      if (previous.status) counts[previous.status] = Math.max(0, (counts[previous.status] || 1) - 1);
      counts[t.status] = (counts[t.status] || 0) + 1;
      renderCounts();
      if (FINAL.has(t.status) && !wasFinal) finished.push([Date.now(), t.status === 'FAILURE']);
    } else if (!update.at && FINAL.has(t.status) && !wasFinal && t.finishedAt) {
      // a task loaded from the list: it counts in the chart where it finished
      finished.push([Date.parse(t.finishedAt), t.status === 'FAILURE']);
      finished.sort((a, b) => a[0] - b[0]);
    }
    renderTasks();
    if (selected === t.id) renderDetail(t);
  }

  async function loadRecent() {
    try {
      const recent = await Hotpot.api('/api/tasks?limit=50');
      recent.forEach(t => merge(t, false));
    } catch (err) { /* the live stream still fills the table */ }
  }

  // ---- groups, each with a progress bar: listed from /api/groups, then moved on by group events
  const groups = new Map();           // id → {id, createdAt, total, finished, counts, then}

  function renderGroups() {
    const rows = [...groups.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, 20);
    $('groups').tBodies[0].replaceChildren(...rows.map(g => {
      const percent = g.total ? Math.floor(g.finished * 100 / g.total) : 100;
      const counts = g.counts || {};
      const failed = (counts.FAILURE || 0) + (counts.REVOKED || 0);
      const bar = el('div', { class: 'progress-bar' + (failed ? ' bad' : '') });
      bar.style.width = percent + '%'; // through the CSSOM: the page's CSP allows no inline style attribute
      return el('tr', { 'data-id': g.id },
        el('td', {}, el('code', {}, g.id.slice(0, 8))),
        el('td', { class: 'group-progress' }, el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0,
          'aria-valuemax': 100, 'aria-valuenow': percent, 'aria-label': `group ${g.id.slice(0, 8)}: ${percent}%` },
        bar)),
        el('td', { class: 'group-finished' }, `${g.finished} / ${g.total}`),
        el('td', {}, counts.SUCCESS || 0), el('td', {}, counts.FAILURE || 0), el('td', {}, counts.REVOKED || 0),
        el('td', { class: 'group-callback' }, g.then ? el('span', { class: 'status status-' + (g.then.status || '').toLowerCase() },
          `${g.then.type || 'callback'} ${g.then.status || ''}`) : ''),
        el('td', {}, Hotpot.time(Date.parse(g.createdAt))));
    }));
  }

  async function loadGroups() {
    try {
      (await Hotpot.api('/api/groups?limit=20')).forEach(g => groups.set(g.id, Object.assign(groups.get(g.id) || {}, g)));
      renderGroups();
    } catch (err) { unavailable('groups', err); }
  }

  // A group event: the group recorded, or one of its tasks final (finished and counts as of then).
  function mergeGroup(e) {
    const g = groups.get(e.group) || { id: e.group, createdAt: e.at, then: e.then ? { id: e.then, status: 'SCHEDULED' } : null };
    if (e.finished >= (g.finished || 0)) {
      g.finished = e.finished;
      g.counts = e.counts;
    }
    g.total = e.total;
    groups.set(g.id, g);
    renderGroups();
  }

  // A task event of a chord's callback moves its group's callback column.
  function mergeCallback(update) {
    for (const g of groups.values()) {
      if (g.then && g.then.id === update.id) {
        g.then = Object.assign({}, g.then, { type: update.type || g.then.type, status: update.status });
        renderGroups();
      }
    }
  }

  // ---- one task's detail with live progress
  function renderDetail(t) {
    $('detail').hidden = false;
    $('detail-id').textContent = t.id;
    const percent = FINAL.has(t.status) ? 100 : (t.progress && t.progress.percent) || (t.status === 'STARTED' ? 5 : 0);
    $('detail-bar').style.width = percent + '%';
    $('detail-bar').className = 'progress-bar ' + (t.status === 'FAILURE' ? 'bad' : '');
    const copy = Object.assign({}, t);
    delete copy.updated;
    $('detail-json').textContent = JSON.stringify(copy, null, 2);
  }

  async function select(id) {
    selected = id;
    try { merge(await Hotpot.api('/api/tasks/' + encodeURIComponent(id)), false); } catch (err) { /* shown from the table's data */ }
    renderDetail(tasks.get(id));
  }

  // ---- the chart: tasks finished and failed per 10 s over the last 5 minutes
  function drawChart() {
    const canvas = $('chart');
    const ctx = canvas.getContext('2d');
    const now = Date.now();
    const buckets = 30;
    const ok = new Array(buckets).fill(0);
    const bad = new Array(buckets).fill(0);
    while (finished.length && finished[0][0] < now - buckets * 10000) finished.shift();
    finished.forEach(([at, failed]) => {
      const i = buckets - 1 - Math.floor((now - at) / 10000);
      if (i >= 0) (failed ? bad : ok)[i]++;
    });
    const max = Math.max(1, ...ok.map((v, i) => v + bad[i]));
    const w = canvas.width / buckets;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < buckets; i++) {
      const hOk = (ok[i] / max) * (canvas.height - 20);
      const hBad = (bad[i] / max) * (canvas.height - 20);
      ctx.fillStyle = '#3b8f5a';
      ctx.fillRect(i * w + 2, canvas.height - hOk, w - 4, hOk);
      ctx.fillStyle = '#c0392b';
      ctx.fillRect(i * w + 2, canvas.height - hOk - hBad, w - 4, hBad);
    }
    ctx.fillStyle = '#555';
    ctx.font = '12px sans-serif';
    ctx.fillText(`max ${max} per 10 s · green: finished · red: failed`, 6, 14);
  }

  // ---- workers, queues, schedules, dead letters (polled)
  async function loadWorkers() {
    try {
      const workers = await Hotpot.api('/api/workers');
      $('workers').tBodies[0].replaceChildren(...workers.map(w => el('tr', {},
        el('td', {}, w.id), el('td', {}, (w.queues || []).join(', ')),
        el('td', {}, (w.types || []).map(t => t.type).join(', ')),
        el('td', {}, w.concurrency), el('td', {}, w.inFlight), el('td', {}, Hotpot.time(w.at)))));
      const select = $('task-type');
      const types = [...new Set(workers.flatMap(w => (w.types || []).map(t => t.type)))].sort();
      const current = [...select.options].map(o => o.value);
      if (types.join() !== current.join()) {
        const chosen = select.value;
        select.replaceChildren(...types.map(t => el('option', { value: t, selected: t === chosen }, t)));
      }
    } catch (err) { /* next poll */ }
  }

  function unavailable(table, err) {
    $(table).tBodies[0].replaceChildren(el('tr', {}, el('td', { colspan: 5, class: 'muted' }, err.message)));
  }

  async function loadQueues() {
    try {
      const queues = await Hotpot.api('/api/queues');
      const now = Date.now();
      $('queues').tBodies[0].replaceChildren(...queues.map(q => {
        const before = queueSamples.get(q.name);
        queueSamples.set(q.name, { at: now, depth: q.depth });
        const rate = before ? ((q.depth - before.depth) / ((now - before.at) / 1000)).toFixed(1) + '/s' : '';
        return el('tr', {}, el('td', {}, q.name), el('td', {}, q.depth), el('td', {}, q.consumers), el('td', {}, rate));
      }));
    } catch (err) { unavailable('queues', err); }
  }

  async function loadSchedules() {
    try {
      const schedules = await Hotpot.api('/api/schedules');
      $('schedules').tBodies[0].replaceChildren(...schedules.map(s => el('tr', {},
        el('td', {}, s.name), el('td', {}, s.task && s.task.type),
        el('td', {}, s.paused ? 'paused' : Hotpot.time(s.nextFireTime)),
        el('td', {}, s.lastTaskStatus || ''),
        el('td', {}, Hotpot.mayAdmin() ? el('button', { type: 'button', class: 'admin-action', onclick: () => toggle(s) }, s.paused ? 'Resume' : 'Pause') : ''))));
    } catch (err) { unavailable('schedules', err); }
  }

  async function toggle(schedule) {
    try {
      await Hotpot.api(`/api/schedules/${encodeURIComponent(schedule.name)}/${schedule.paused ? 'resume' : 'pause'}`, { method: 'POST' });
    } finally { loadSchedules(); }
  }

  async function loadDeadLetters() {
    try {
      const letters = await Hotpot.api('/api/dead-letters');
      $('dead-letters').tBodies[0].replaceChildren(...letters.map(d => el('tr', {},
        el('td', {}, el('code', {}, String(d.id).slice(0, 8))), el('td', {}, d.type),
        el('td', { class: 'ellipsis' }, d.error ? `${d.error.type || ''} ${d.error.message || d.error}` : d.reason || ''),
        el('td', {}, Hotpot.mayAdmin() ? el('button', { type: 'button', class: 'admin-action', onclick: () => requeue(d.id) }, 'Re-queue') : ''))));
    } catch (err) { unavailable('dead-letters', err); }
  }

  async function requeue(id) {
    try { await Hotpot.api(`/api/dead-letters/${encodeURIComponent(id)}/requeue`, { method: 'POST' }); } finally { loadDeadLetters(); }
  }

  // ---- the submit form
  $('submit-form').addEventListener('submit', async e => {
    e.preventDefault();
    const out = $('submit-result');
    let args;
    try { args = JSON.parse($('task-args').value || '{}'); } catch (err) { out.textContent = 'The arguments are not JSON: ' + err.message; return; }
    try {
      const task = await Hotpot.api('/api/tasks', { method: 'POST', json: { type: $('task-type').value, args, queue: $('task-queue').value || undefined } });
      out.textContent = `Accepted: ${task.id}`;
      merge(Object.assign({}, task, { at: task.createdAt }), false);
      select(task.id);
    } catch (err) {
      out.textContent = 'Refused: ' + err.message;
    }
  });

  renderCounts();
  loadStats();
  loadRecent();
  loadWorkers();
  loadQueues();
  loadSchedules();
  loadDeadLetters();
  loadGroups();
  setInterval(loadWorkers, 2000);
  setInterval(loadQueues, 2000);
  setInterval(loadSchedules, 5000);
  setInterval(loadDeadLetters, 5000);
  setInterval(loadStats, 10000);
  setInterval(drawChart, 1000);

  Hotpot.reconnecting(() => Hotpot.wsUrl('/ws/tasks'), {
    // chat-service's /ws/tasks frames: {"type":"task-event","event":{…}} for every change.
    // Group events: {"type":"group-event","event":{"kind":"group","group":…,"finished":…,"counts":{…}}}.
    message: frame => {
      if (frame && frame.type === 'group-event' && frame.event) { mergeGroup(frame.event); return; }
      const update = frame && (frame.type === 'task-event' ? frame.event : frame.type === 'task-record' ? frame.record : null);
      if (update && update.id && update.status) { merge(update, frame.type === 'task-event'); mergeCallback(update); }
    },
    open: () => { loadRecent(); loadGroups(); }
  });
})();
