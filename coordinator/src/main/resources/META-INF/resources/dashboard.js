// Sluice dashboard: plain JavaScript (an ES module), no framework and no build step.
// Reads the coordinator's REST API and follows its Server-Sent Events at /api/events.

const SERIES_SIZE = 120;      // batches kept for the charts
const PAGE_SIZE = 20;         // rows of the batches table
const TREND_BATCHES = 10;     // batches the "keeps up" verdict looks at
const POLL_MS = 5000;         // workers' heartbeat ages, receivers, pools, and a fallback when events are down
const LATE_HEARTBEAT_MS = 10000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const state = {
  jobs: [],
  job: null,              // the selected job's name
  series: new Map(),      // batchTime -> BatchView, the selected job's last SERIES_SIZE batches
  rows: [],               // the batches table's page
  before: null,           // that page's `before`, null for the newest page
  older: [],              // the `before` of each newer page, to go back
  selected: null,         // batch time shown in the detail
  workers: [],
  receivers: [],
  pools: [],
  events: null,
  retryMs: 1000,
  down: false,
  lastEvent: null,
};

// ------------------------------------------------------------------------------------ helpers

const $ = (id) => document.getElementById(id);

/** An HTML element: h('td', {class: 'num'}, 'text', child, ...). Text is never parsed as HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element, like h(). */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

async function api(path, options = {}) {
  const r = await fetch(path, { headers: { Accept: 'application/json' }, ...options });
  if (!r.ok) {
    let detail = '';
    try { detail = (await r.json()).detail || ''; } catch { /* not a problem body */ }
    throw new Error(`${path} answered ${r.status}${detail ? ': ' + detail : ''}`);
  }
  return r.json();
}

const numberFormat = new Intl.NumberFormat('en-US');
const fmtInt = (n) => (n === null || n === undefined ? '—' : numberFormat.format(n));

function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const min = Math.floor(ms / 60000);
  return `${min} min ${Math.round((ms - min * 60000) / 1000)} s`;
}

function fmtRate(r) {
  if (r === null || r === undefined || Number.isNaN(r)) return '—';
  return `${r < 10 && r !== 0 ? r.toFixed(1) : numberFormat.format(Math.round(r))} records/s`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** A batch time as HH:MM:SS, with milliseconds when the batch interval is not whole seconds. */
function fmtTime(ms) {
  const d = new Date(ms);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const interval = currentJob()?.batchIntervalMs ?? 1000;
  return interval % 1000 === 0 ? base : `${base}.${pad(d.getMilliseconds(), 3)}`;
}

function fmtDateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${fmtTime(ms)}`;
}

const currentJob = () => state.jobs.find((j) => j.name === state.job) || null;
const intervalMs = () => currentJob()?.batchIntervalMs || 1000;
const ended = (b) => b.status === 'SUCCEEDED' || b.status === 'FAILED';
const rateOf = (b) => (b.inputRecords * 1000) / intervalMs();

/** The charted batches: those that ended, oldest first. */
function endedSeries() {
  return [...state.series.values()].filter(ended).sort((a, b) => a.batchTime - b.batchTime);
}

function notice(text) {
  const el = $('notice');
  el.textContent = text || '';
  el.hidden = !text;
}

/** Runs fn at most once per `ms`, the last call winning. */
function throttle(fn, ms) {
  let timer = null;
  let again = false;
  return () => {
    if (timer) { again = true; return; }
    fn();
    timer = setTimeout(function tick() {
      timer = null;
      if (again) { again = false; fn(); timer = setTimeout(tick, ms); }
    }, ms);
  };
}

/** Batches DOM updates into one per animation frame. */
function onFrame(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fn(); });
  };
}

// ------------------------------------------------------------------------------------ jobs

async function loadJobs() {
  state.jobs = await api('/api/jobs');
  const select = $('job-select');
  const wanted = state.job || new URLSearchParams(location.hash.slice(1)).get('job');
  const options = state.jobs.map((j) => `${j.name} (${j.state.toLowerCase()})`);
  if (options.join('\n') !== [...select.options].map((o) => o.textContent).join('\n')) {
    // Rebuilt only when a job came, went or changed state, so that an open list stays open.
    select.replaceChildren(...state.jobs.map((j, i) => h('option', { value: j.name }, options[i])));
  }
  select.disabled = state.jobs.length === 0;
  if (state.jobs.length === 0) {
    select.replaceChildren(h('option', { value: '' }, 'no jobs'));
    notice('No job runs on this coordinator. Start one with POST /api/jobs or ./sluice start.');
  } else {
    notice('');
  }
  const pick = state.jobs.find((j) => j.name === wanted)
    || state.jobs.find((j) => j.state === 'RUNNING') || state.jobs[0];
  if (pick) select.value = pick.name;
  if (pick && pick.name !== state.job) await selectJob(pick.name);
  renderSummary();
}

const refreshJobs = throttle(() => loadJobs().catch((e) => notice(`Cannot reach the coordinator: ${e.message}`)), 1000);

async function selectJob(name) {
  state.job = name;
  state.series = new Map();
  state.rows = [];
  state.before = null;
  state.older = [];
  state.selected = null;
  $('batch-detail').hidden = true;
  history.replaceState(null, '', `#job=${encodeURIComponent(name)}`);
  await Promise.all([loadSeries(), loadPage()]);
  renderSummary();
}

async function loadSeries() {
  const job = state.job;
  const batches = await api(`/api/jobs/${encodeURIComponent(job)}/batches?limit=${SERIES_SIZE}`);
  if (job !== state.job) return;
  state.series = new Map(merge(batches, [...state.series.values()]).slice(0, SERIES_SIZE).map((b) => [b.batchTime, b]));
  renderCharts();
}

/**
 * Fetched batches, newest first, with what events brought while the request was out: a batch
 * that ended since, or a newer one, is taken from `live`.
 */
function merge(fetched, live) {
  const byTime = new Map(fetched.map((b) => [b.batchTime, b]));
  const oldest = fetched.length ? fetched[fetched.length - 1].batchTime : -Infinity;
  for (const b of live) {
    const f = byTime.get(b.batchTime);
    if (f ? ended(b) && !ended(f) : b.batchTime > oldest) byTime.set(b.batchTime, b);
  }
  return [...byTime.values()].sort((a, b) => b.batchTime - a.batchTime);
}

// ------------------------------------------------------------------------------------ summary

function renderSummary() {
  const job = currentJob();
  $('job-name').textContent = job ? job.name : '—';
  const pill = $('job-state');
  pill.textContent = job ? job.state : '';
  pill.dataset.state = job ? job.state : '';
  if (!job) return;
  const recent = endedSeries().slice(-TREND_BATCHES);
  const rate = recent.length ? recent.reduce((sum, b) => sum + rateOf(b), 0) / recent.length : null;
  $('h-interval').textContent = fmtMs(job.batchIntervalMs);
  $('h-completed').textContent = fmtInt(job.batchesCompleted);
  $('h-failed').textContent = fmtInt(job.batchesFailed);
  $('h-pending').textContent = fmtInt(job.pendingBatches);
  $('h-rate').textContent = fmtRate(rate);
  $('h-proc').textContent = job.batchesCompleted + job.batchesFailed > 0 ? fmtMs(job.meanProcessingTimeMs) : '—';
  $('h-delay').textContent = fmtMs(job.schedulingDelayMs);
  $('h-records').textContent = fmtInt(job.recordsProcessed);
  $('h-failed').classList.toggle('status-failed', job.batchesFailed > 0);
  renderHealth(job, endedSeries());
}

/**
 * Keeps up or falls behind: behind when the scheduling delay grew over the last batches
 * (each batch waited longer than the one before it), or when batches take longer to
 * process than the batch interval.
 */
function health(job, batches) {
  const interval = job.batchIntervalMs;
  if (job.state !== 'RUNNING') return { kind: 'stopped', word: `Job ${job.state.toLowerCase()}`, why: '' };
  const recent = batches.filter((b) => b.processingTimeMs !== null && b.schedulingDelayMs !== null).slice(-TREND_BATCHES);
  if (recent.length < 3) return { kind: 'unknown', word: 'Waiting for batches', why: 'to tell whether the job keeps up.' };
  const delays = recent.map((b) => b.schedulingDelayMs);
  const n = delays.length;
  const meanX = (n - 1) / 2;
  const meanY = delays.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  delays.forEach((y, x) => { num += (x - meanX) * (y - meanY); den += (x - meanX) ** 2; });
  const rise = (num / den) * (n - 1);
  const last5 = recent.slice(-5);
  const meanProc = last5.reduce((a, b) => a + b.processingTimeMs, 0) / last5.length;
  if (rise > Math.max(interval / 2, 100) && delays[n - 1] > delays[0]) {
    return {
      kind: 'behind', word: 'Falling behind:',
      why: `the scheduling delay grew from ${fmtMs(delays[0])} to ${fmtMs(delays[n - 1])} over the last ${n} batches. `
        + 'Add workers, raise the batch interval or lower the input rate.',
    };
  }
  if (meanProc > interval) {
    return {
      kind: 'behind', word: 'Falling behind:',
      why: `batches take ${fmtMs(meanProc)} to process, more than the ${fmtMs(interval)} batch interval. `
        + 'Add workers, raise the batch interval or lower the input rate.',
    };
  }
  return {
    kind: 'ok', word: 'Keeps up:',
    why: `batches take ${fmtMs(meanProc)} to process (${Math.round((100 * meanProc) / interval)}% of the `
      + `${fmtMs(interval)} interval) and wait ${fmtMs(delays[n - 1])} to be scheduled.`,
  };
}

function renderHealth(job, batches) {
  const v = health(job, batches);
  $('health').dataset.health = v.kind;
  $('health-word').textContent = v.word;
  $('health-why').textContent = v.why;
}

// ------------------------------------------------------------------------------------ charts

const METRICS = [
  { key: 'input-rate', title: 'Input rate', value: rateOf, fmt: fmtRate, unit: 'records/s' },
  { key: 'scheduling-delay', title: 'Scheduling delay', value: (b) => b.schedulingDelayMs, fmt: fmtMs },
  { key: 'processing-time', title: 'Processing time', value: (b) => b.processingTimeMs, fmt: fmtMs, reference: true },
  { key: 'total-delay', title: 'Total delay', value: (b) => b.totalDelayMs, fmt: fmtMs },
];

const TL = { w: 640, h: 170, left: 62, right: 12, top: 12, bottom: 26 };
const HI = { w: 300, h: 170, left: 62, right: 34, top: 12, bottom: 26 };
const BINS = 10;

function buildCharts() {
  const root = $('charts');
  for (const m of METRICS) {
    root.append(
      h('div', { class: 'chart-label' }, h('h3', { id: `label-${m.key}` }, m.title), h('p', { id: `stats-${m.key}` }, '—')),
      s('svg', { id: `timeline-${m.key}`, class: 'chart timeline', viewBox: `0 0 ${TL.w} ${TL.h}`, role: 'img',
        'aria-labelledby': `label-${m.key} desc-timeline-${m.key}`, 'data-points': 0 }),
      s('svg', { id: `histogram-${m.key}`, class: 'chart histogram', viewBox: `0 0 ${HI.w} ${HI.h}`, role: 'img',
        'aria-labelledby': `label-${m.key} desc-histogram-${m.key}`, 'data-points': 0 }),
    );
  }
}

/** A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten. */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function renderCharts() {
  const batches = endedSeries();
  const interval = intervalMs();
  $('charts').dataset.batches = batches.length;
  for (const m of METRICS) {
    const points = batches
      .map((b) => ({ t: b.batchTime, v: m.value(b), failed: b.status === 'FAILED' }))
      .filter((p) => p.v !== null && p.v !== undefined && !Number.isNaN(p.v));
    const values = points.map((p) => p.v);
    const ref = m.reference ? interval : null;
    const yMax = niceMax(Math.max(1, ...values, ref ?? 0) * 1.05);
    const stats = values.length
      ? `avg ${m.fmt(values.reduce((a, b) => a + b, 0) / values.length)} · max ${m.fmt(Math.max(...values))}`
      : 'no batches yet';
    $(`stats-${m.key}`).textContent = stats;
    drawTimeline($(`timeline-${m.key}`), m, points, yMax, ref);
    drawHistogram($(`histogram-${m.key}`), m, values, yMax, ref);
  }
}

function yTicks(svg, box, yMax, fmt, plotW) {
  const y = (v) => box.top + (box.h - box.top - box.bottom) * (1 - v / yMax);
  for (const v of [0, yMax / 2, yMax]) {
    svg.append(s('line', { class: 'grid', x1: box.left, x2: box.left + plotW, y1: y(v), y2: y(v) }));
    svg.append(s('text', { x: box.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, shortFmt(v, fmt)));
  }
  return y;
}

/** Axis labels without the unit's long form: "500 ms", "1.5 s", "1,200/s". */
function shortFmt(v, fmt) {
  return fmt === fmtRate ? `${v < 10 ? +v.toFixed(1) : numberFormat.format(Math.round(v))}/s` : fmt(v);
}

function drawTimeline(svg, m, points, yMax, ref) {
  svg.replaceChildren();
  svg.dataset.points = points.length;
  const plotW = TL.w - TL.left - TL.right;
  const plotH = TL.h - TL.top - TL.bottom;
  const desc = s('desc', { id: `desc-timeline-${m.key}` });
  svg.append(desc);
  if (points.length === 0) {
    desc.textContent = 'timeline: no batch has ended yet';
    svg.append(s('text', { class: 'empty', x: TL.left + plotW / 2, y: TL.top + plotH / 2, 'text-anchor': 'middle' },
      'Waiting for the first batches…'));
    return;
  }
  const y = yTicks(svg, TL, yMax, m.fmt, plotW);
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const x = (t) => (t1 === t0 ? TL.left + plotW / 2 : TL.left + ((t - t0) / (t1 - t0)) * plotW);
  svg.append(s('line', { class: 'axis', x1: TL.left, x2: TL.left + plotW, y1: TL.top + plotH, y2: TL.top + plotH }));
  svg.append(s('line', { class: 'axis', x1: TL.left, x2: TL.left, y1: TL.top, y2: TL.top + plotH }));
  const xLabels = t1 === t0 ? [[t0, 'middle']] : [[t0, 'start'], [(t0 + t1) / 2, 'middle'], [t1, 'end']];
  for (const [t, anchor] of xLabels) {
    svg.append(s('text', { x: x(t), y: TL.h - 8, 'text-anchor': anchor }, fmtTime(t)));
  }
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
  if (points.length > 1) {
    svg.append(s('path', { class: 'area', d: `${line}L${x(t1).toFixed(1)},${y(0)}L${x(t0).toFixed(1)},${y(0)}Z` }));
  }
  svg.append(s('path', { class: 'series', d: line }));
  const r = points.length > 60 ? 1.8 : 2.6;
  for (const p of points) {
    svg.append(s('circle', { class: p.failed ? 'pt failed' : 'pt', cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r },
      s('title', {}, `${fmtTime(p.t)}: ${m.fmt(p.v)}${p.failed ? ' (failed)' : ''}`)));
  }
  if (ref !== null) {
    svg.append(s('line', { class: 'ref', x1: TL.left, x2: TL.left + plotW, y1: y(ref), y2: y(ref) }));
    svg.append(s('text', { class: 'ref-label', x: TL.left + 6, y: y(ref) - 5 }, `batch interval ${fmtMs(ref)}`));
  }
  const values = points.map((p) => p.v);
  desc.textContent = `timeline of ${points.length} batches from ${fmtTime(t0)} to ${fmtTime(t1)}: `
    + `min ${m.fmt(Math.min(...values))}, max ${m.fmt(Math.max(...values))}, last ${m.fmt(values[values.length - 1])}`;
}

/** Spark's shape: the value axis upright, aligned with the timeline's, bars growing to the right. */
function drawHistogram(svg, m, values, yMax, ref) {
  svg.replaceChildren();
  svg.dataset.points = values.length;
  const plotW = HI.w - HI.left - HI.right;
  const plotH = HI.h - HI.top - HI.bottom;
  const desc = s('desc', { id: `desc-histogram-${m.key}` });
  svg.append(desc);
  if (values.length === 0) {
    desc.textContent = 'histogram: no batch has ended yet';
    return;
  }
  const y = yTicks(svg, HI, yMax, m.fmt, plotW);
  const counts = new Array(BINS).fill(0);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor((v / yMax) * BINS))] += 1;
  const most = Math.max(...counts);
  const binH = plotH / BINS;
  counts.forEach((c, i) => {
    if (!c) return;
    const w = Math.max(2, (c / most) * plotW);
    const top = HI.top + plotH - (i + 1) * binH;
    const from = (yMax * i) / BINS;
    const to = (yMax * (i + 1)) / BINS;
    svg.append(s('rect', { class: 'bar', x: HI.left, y: (top + 1).toFixed(1), width: w.toFixed(1), height: (binH - 2).toFixed(1) },
      s('title', {}, `${c} batch${c === 1 ? '' : 'es'} between ${m.fmt(from)} and ${m.fmt(to)}`)));
    svg.append(s('text', { x: HI.left + w + 4, y: (top + binH / 2 + 4).toFixed(1) }, c));
  });
  svg.append(s('line', { class: 'axis', x1: HI.left, x2: HI.left, y1: HI.top, y2: HI.top + plotH }));
  svg.append(s('line', { class: 'axis', x1: HI.left, x2: HI.left + plotW, y1: HI.top + plotH, y2: HI.top + plotH }));
  svg.append(s('text', { x: HI.left + plotW, y: HI.h - 8, 'text-anchor': 'end' }, 'batches'));
  if (ref !== null) {
    svg.append(s('line', { class: 'ref', x1: HI.left, x2: HI.left + plotW, y1: y(ref), y2: y(ref) }));
  }
  desc.textContent = `histogram of ${values.length} batches in ${BINS} bins from 0 to ${m.fmt(yMax)}; `
    + `the fullest bin holds ${most}`;
}

// ------------------------------------------------------------------------------------ batches table

async function loadPage() {
  const job = state.job;
  const before = state.before === null ? '' : `&before=${state.before}`;
  const rows = await api(`/api/jobs/${encodeURIComponent(job)}/batches?limit=${PAGE_SIZE}${before}`);
  if (job !== state.job) return;
  state.rows = state.before === null ? merge(rows, state.rows).slice(0, PAGE_SIZE) : rows;
  renderBatches(new Set());
}

function renderBatches(fresh) {
  const body = $('batches').tBodies[0];
  if (state.rows.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'muted' },
      state.before === null ? 'No batch yet.' : 'No older batches.')));
  } else {
    body.replaceChildren(...state.rows.map((b) => batchRow(b, fresh.has(b.batchTime))));
  }
  $('page-newest').disabled = state.before === null;
  $('page-newer').disabled = state.before === null;
  $('page-older').disabled = state.rows.length < PAGE_SIZE;
  const first = state.rows[0];
  const last = state.rows[state.rows.length - 1];
  $('page-info').textContent = first
    ? `${state.rows.length} batches, ${fmtTime(last.batchTime)} to ${fmtTime(first.batchTime)}`
      + (state.before === null ? ' (live)' : '')
    : '';
}

function batchRow(b, fresh) {
  const selected = b.batchTime === state.selected;
  return h('tr', { 'data-batch-time': b.batchTime, 'data-status': b.status, class: [fresh && 'fresh', selected && 'selected'].filter(Boolean).join(' ') || null },
    h('td', {}, h('button', { type: 'button', class: 'linkish', title: fmtDateTime(b.batchTime), 'aria-current': selected ? 'true' : null,
      'aria-label': `Batch ${fmtTime(b.batchTime)}: show its stages` }, fmtTime(b.batchTime))),
    h('td', { class: 'num' }, fmtInt(b.inputRecords)),
    h('td', { class: 'num' }, fmtRate(rateOf(b))),
    h('td', { class: 'num' }, fmtMs(b.schedulingDelayMs)),
    h('td', { class: 'num' }, fmtMs(b.processingTimeMs)),
    h('td', { class: 'num' }, fmtMs(b.totalDelayMs)),
    h('td', { class: 'num' }, ended(b) ? fmtInt(b.tasks) : '—'),
    h('td', {}, h('span', { class: 'pill batch', 'data-state': b.status, title: b.error || null }, b.status.toLowerCase())));
}

function goOlder() {
  const last = state.rows[state.rows.length - 1];
  if (!last) return;
  state.older.push(state.before);
  state.before = last.batchTime;
  loadPage().catch((e) => notice(e.message));
}

function goNewer() {
  state.before = state.older.length ? state.older.pop() : null;
  loadPage().catch((e) => notice(e.message));
}

function goNewest() {
  state.before = null;
  state.older = [];
  loadPage().catch((e) => notice(e.message));
}

// ------------------------------------------------------------------------------------ batch detail

async function showBatch(time) {
  state.selected = time;
  for (const tr of $('batches').tBodies[0].rows) {
    const on = Number(tr.dataset.batchTime) === time;
    tr.classList.toggle('selected', on);
    const button = tr.querySelector('button');
    if (button) { if (on) button.setAttribute('aria-current', 'true'); else button.removeAttribute('aria-current'); }
  }
  const job = state.job;
  let b;
  try {
    b = await api(`/api/jobs/${encodeURIComponent(job)}/batches/${time}`);
  } catch (e) {
    notice(e.message);
    return;
  }
  if (job !== state.job || time !== state.selected) return;
  renderDetail(b);
}

function renderDetail(b) {
  const section = $('batch-detail');
  section.hidden = false;
  section.dataset.batchTime = b.batchTime;
  $('detail-title').replaceChildren(`Batch ${fmtDateTime(b.batchTime)} `,
    h('span', { class: 'pill batch', 'data-state': b.status }, b.status.toLowerCase()), ' ',
    h('button', { type: 'button', onclick: closeDetail, 'aria-label': 'Close the batch detail' }, 'Close'));
  const item = (k, v) => h('div', {}, h('dt', {}, k), h('dd', {}, v));
  $('detail-summary').replaceChildren(
    item('Input records', fmtInt(b.inputRecords)),
    item('Scheduling delay', fmtMs(b.schedulingDelayMs)),
    item('Processing time', fmtMs(b.processingTimeMs)),
    item('Total delay', fmtMs(b.totalDelayMs)),
    item('Tasks', ended(b) ? fmtInt(b.tasks) : '—'),
    item('Stages', fmtInt(b.stages.length)));
  const err = $('detail-error');
  err.textContent = b.error || '';
  err.hidden = !b.error;
  const body = $('stages').tBodies[0];
  if (b.stages.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 9, class: 'muted' },
      ended(b) ? 'The batch ran no stage.' : 'No stage has ended yet: the batch is still running.')));
    return;
  }
  const start = Math.min(...b.stages.map((st) => st.firstLaunchMs));
  const end = Math.max(...b.stages.map((st) => (st.lastEndMs < 0 ? Date.now() : st.lastEndMs)));
  const span = Math.max(1, end - start);
  const stages = [...b.stages].sort((x, y) => x.firstLaunchMs - y.firstLaunchMs || x.stage - y.stage);
  body.replaceChildren(...stages.map((st) => {
    const duration = st.lastEndMs < 0 ? null : st.lastEndMs - st.firstLaunchMs;
    const stop = st.lastEndMs < 0 ? end : st.lastEndMs;
    const left = ((st.firstLaunchMs - start) / span) * 100;
    const width = ((stop - st.firstLaunchMs) / span) * 100;
    return h('tr', { 'data-stage': st.stage },
      h('td', { class: 'num' }, st.stage),
      h('td', {}, st.batchTimeMs === b.batchTime ? 'this batch' : `${fmtTime(st.batchTimeMs)} (recomputed)`),
      h('td', { class: 'num' }, fmtInt(st.tasks)),
      h('td', { class: 'num' }, fmtInt(st.attempts)),
      h('td', { class: st.failedAttempts > 0 ? 'num status-failed' : 'num' }, fmtInt(st.failedAttempts)),
      h('td', { class: 'num' }, fmtInt(st.speculative)),
      h('td', { class: 'num' }, fmtMs(st.firstLaunchMs - b.batchTime)),
      h('td', { class: 'num' }, duration === null ? 'running' : fmtMs(duration)),
      h('td', {}, h('span', { class: 'stage-bar', role: 'img', 'aria-label': `from ${fmtMs(st.firstLaunchMs - start)} to ${fmtMs(stop - start)} into the batch's stages` },
        h('span', { style: `left:${left.toFixed(1)}%;width:${width.toFixed(1)}%` }))));
  }));
}

function closeDetail() {
  state.selected = null;
  $('batch-detail').hidden = true;
  for (const tr of $('batches').tBodies[0].rows) tr.classList.remove('selected');
}

// ------------------------------------------------------------------------------------ workers, receivers, pools

function workerState(w) {
  if (w.lastHeartbeatAgoMs > LATE_HEARTBEAT_MS) return ['heartbeat late', 'state-late'];
  if (w.draining) return ['draining', 'state-draining'];
  if (w.runningTasks > 0) return ['busy', 'state-busy'];
  return ['idle', ''];
}

function renderWorkers() {
  const body = $('workers').tBodies[0];
  const workers = [...state.workers].sort((a, b) => a.id.localeCompare(b.id));
  $('workers').dataset.count = workers.length;
  if (workers.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No worker is registered.')));
    return;
  }
  body.replaceChildren(...workers.map((w) => {
    const [word, cls] = workerState(w);
    return h('tr', { 'data-worker': w.id },
      h('td', {}, h('div', {}, w.id), h('div', { class: 'muted' }, w.address)),
      h('td', {}, w.pool || '—'),
      h('td', { class: cls || null }, word),
      h('td', { class: 'num' }, `${w.slots} (${w.freeSlots})`),
      h('td', { class: 'num' }, fmtInt(w.runningTasks)),
      h('td', { class: 'num' }, fmtInt(w.tasksSucceeded)),
      h('td', { class: w.tasksFailed > 0 ? 'num status-failed' : 'num' }, fmtInt(w.tasksFailed)),
      h('td', { class: 'num', title: `registered ${fmtDateTime(w.registeredAt)}, epoch ${w.epoch}` },
        `${fmtMs(w.lastHeartbeatAgoMs)} ago`));
  }));
}

function renderReceivers() {
  const body = $('receivers').tBodies[0];
  $('receivers').dataset.count = state.receivers.length;
  if (state.receivers.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No receiver is attached.')));
    return;
  }
  const rows = [];
  for (const r of [...state.receivers].sort((a, b) => a.id.localeCompare(b.id))) {
    const sources = r.sources.length ? r.sources : [null];
    sources.forEach((src, i) => {
      const rate = src === null ? undefined : r.rates[src];
      rows.push(h('tr', { 'data-receiver': r.id },
        i === 0 ? h('td', { rowspan: sources.length }, h('div', {}, r.id), h('div', { class: 'muted' }, r.address)) : null,
        h('td', {}, src === null ? h('span', { class: 'muted' }, 'no source') : src),
        h('td', { class: 'num' }, rate === undefined ? (src === null ? '—' : 'no limit') : fmtRate(rate))));
    });
  }
  body.replaceChildren(...rows);
}

function renderPools() {
  const body = $('pools').tBodies[0];
  if (state.pools.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No pool.')));
    return;
  }
  body.replaceChildren(...state.pools.map((p) => h('tr', {},
    h('td', {}, p.name),
    h('td', { class: 'num' }, fmtInt(p.workers)),
    h('td', { class: 'num' }, p.replicas === null ? '—' : fmtInt(p.replicas)),
    h('td', {}, p.min === null ? '—' : `${p.min}–${p.max}`),
    h('td', {}, p.autoscaled && p.deployment ? 'autoscaled' : p.deployment ? `by hand (${p.deployment})` : 'not configured'))));
}

async function loadCluster() {
  const [workers, receivers, pools] = await Promise.allSettled([api('/api/workers'), api('/api/receivers'), api('/api/pools')]);
  if (workers.status === 'fulfilled') { state.workers = workers.value; renderWorkers(); }
  if (receivers.status === 'fulfilled') { state.receivers = receivers.value; renderReceivers(); }
  if (pools.status === 'fulfilled') { state.pools = pools.value; renderPools(); }
  const failed = [workers, receivers, pools].find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

// ------------------------------------------------------------------------------------ live events

const renderLive = onFrame(() => { renderCharts(); renderSummary(); });

function setLive(kind, text) {
  $('live-dot').dataset.live = kind;
  $('live-text').textContent = text;
  document.body.dataset.live = kind;
}

function connect() {
  if (state.events) state.events.close();
  setLive('connecting', state.down ? 'Live events lost, reconnecting…' : 'Connecting to live events…');
  const es = new EventSource('/api/events');
  state.events = es;
  es.addEventListener('hello', () => {
    setLive('open', 'Live');
    state.retryMs = 1000;
    if (state.down) {
      // Batches may have ended while the stream was down: read everything again.
      state.down = false;
      resync();
    }
  });
  es.addEventListener('batch', (e) => onBatch(JSON.parse(e.data)));
  es.addEventListener('workers', (e) => {
    state.workers = JSON.parse(e.data);
    renderWorkers();
    touched();
  });
  es.onerror = () => {
    state.down = true;
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (an error status, say): try again ourselves, backing off.
      setLive('down', `Live events lost, retrying in ${Math.round(state.retryMs / 1000)} s…`);
      setTimeout(() => { if (state.events === es) connect(); }, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 15000);
    } else {
      setLive('connecting', 'Live events lost, reconnecting…');
    }
  };
}

function onBatch({ job, batch }) {
  touched();
  if (!state.jobs.some((j) => j.name === job)) {
    refreshJobs();
    return;
  }
  refreshJobs();
  if (job !== state.job) return;
  state.series.set(batch.batchTime, batch);
  if (state.series.size > SERIES_SIZE) {
    const times = [...state.series.keys()].sort((a, b) => a - b);
    for (const t of times.slice(0, state.series.size - SERIES_SIZE)) state.series.delete(t);
  }
  renderLive();
  if (state.before === null) {
    const known = state.rows.some((b) => b.batchTime === batch.batchTime);
    state.rows = [batch, ...state.rows.filter((b) => b.batchTime !== batch.batchTime)]
      .sort((a, b) => b.batchTime - a.batchTime)
      .slice(0, PAGE_SIZE);
    renderBatches(known ? new Set() : new Set([batch.batchTime]));
  }
  if (state.selected === batch.batchTime) showBatch(batch.batchTime);
}

function touched() {
  state.lastEvent = Date.now();
  $('updated').textContent = `Last event at ${fmtTime(state.lastEvent)}.`;
}

async function resync() {
  try {
    await loadJobs();
    if (state.job) await Promise.all([loadSeries(), state.before === null ? loadPage() : null]);
    await loadCluster();
    notice('');
  } catch (e) {
    notice(`Cannot reach the coordinator: ${e.message}`);
  }
}

async function poll() {
  try {
    await loadCluster();
    if (state.down) {
      // No live events: read the job and its batches instead.
      await loadJobs();
      if (state.job) await Promise.all([loadSeries(), state.before === null ? loadPage() : null]);
    } else {
      refreshJobs();
    }
    notice('');
  } catch (e) {
    notice(`Cannot reach the coordinator: ${e.message}`);
  }
}

// ------------------------------------------------------------------------------------ start

function wire() {
  $('job-select').addEventListener('change', (e) => selectJob(e.target.value).catch((err) => notice(err.message)));
  $('page-older').addEventListener('click', goOlder);
  $('page-newer').addEventListener('click', goNewer);
  $('page-newest').addEventListener('click', goNewest);
  $('batches').tBodies[0].addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-batch-time]');
    if (tr) showBatch(Number(tr.dataset.batchTime));
  });
  window.addEventListener('hashchange', () => {
    const name = new URLSearchParams(location.hash.slice(1)).get('job');
    if (name && name !== state.job && state.jobs.some((j) => j.name === name)) {
      $('job-select').value = name;
      selectJob(name).catch((e) => notice(e.message));
    }
  });
}

async function main() {
  buildCharts();
  wire();
  connect();
  try {
    await loadJobs();
  } catch (e) {
    notice(`Cannot read the jobs: ${e.message}`);
  }
  loadCluster().catch((e) => notice(`Cannot read the cluster: ${e.message}`));
  setInterval(poll, POLL_MS);
}

main();
