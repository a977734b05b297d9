// Drives the coordinator's dashboard in headless Chromium (Debian's /usr/bin/chromium, through
// playwright-core) against a running job, for DashboardIT. Exits 0 when every check passed;
// otherwise prints "FAIL: <what>" and exits 1.
//
//   node dashboard.mjs --url http://localhost:8080/ --screenshot ../../../../docs/dashboard.png \
//        [--workers worker-0,worker-1] [--failure-screenshot target/dashboard-failure.png] [--chromium /usr/bin/chromium]
//
// Install what it needs with scripts/install-browser-test-tools.sh.

import { existsSync } from 'node:fs';

const args = parseArgs(process.argv.slice(2));
const url = args.url;
const screenshot = args.screenshot;
const chromiumPath = args.chromium || '/usr/bin/chromium';
const expectedWorkers = (args.workers || '').split(',').filter(Boolean);
const STEP_TIMEOUT_MS = Number(args['step-timeout-ms'] || 30000);

if (!url || !screenshot) {
  console.error('usage: node dashboard.mjs --url URL --screenshot PATH [--workers a,b] [--failure-screenshot PATH] [--chromium PATH]');
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  fail(`${chromiumPath} is missing: run scripts/install-browser-test-tools.sh`);
}

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  fail(`cannot load playwright-core (${e.message}): run scripts/install-browser-test-tools.sh`);
}

const started = Date.now();
const log = (msg) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => {
  if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
});

try {
  await run();
  await browser.close();
  log('all checks passed');
  process.exit(0);
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  if (args['failure-screenshot']) {
    try {
      await page.screenshot({ path: args['failure-screenshot'], fullPage: true });
      console.error(`the page at the failure: ${args['failure-screenshot']}`);
    } catch { /* the browser may be gone */ }
  }
  if (pageErrors.length) console.error(`errors in the page:\n  ${pageErrors.join('\n  ')}`);
  await browser.close().catch(() => {});
  process.exit(1);
}

async function run() {
  log(`loading ${url} in ${chromiumPath} (${browser.version()})`);
  const response = await page.goto(url, { waitUntil: 'load' });
  check(response && response.ok(), `GET ${url} answered ${response && response.status()}`);
  check((response.headers()['content-type'] || '').startsWith('text/html'),
    `GET ${url} is not HTML: ${response.headers()['content-type']}`);
  check((await page.title()).includes('Sluice'), `the page's title is "${await page.title()}"`);

  // A marker that a reload would wipe: new rows must come from the event stream, not a reload.
  await page.evaluate(() => { window.__sluiceTestMarker = 'still the same page'; });

  await waitFor('the live event stream to open (body[data-live="open"])',
    () => document.body.dataset.live === 'open');

  const charts = ['input-rate', 'scheduling-delay', 'processing-time', 'total-delay'];
  await waitFor('every timeline and histogram to have data points',
    (keys) => keys.every((k) => ['timeline', 'histogram'].every((kind) => {
      const svg = document.getElementById(`${kind}-${k}`);
      return svg && Number(svg.dataset.points) > 0;
    })), charts);
  const drawn = await page.evaluate((keys) => keys.map((k) => ({
    key: k,
    circles: document.querySelectorAll(`#timeline-${k} circle.pt`).length,
    paths: document.querySelectorAll(`#timeline-${k} path.series`).length,
    bars: document.querySelectorAll(`#histogram-${k} rect.bar`).length,
  })), charts);
  for (const d of drawn) {
    check(d.circles > 0 && d.paths > 0 && d.bars > 0,
      `chart ${d.key} drew ${d.circles} points, ${d.paths} lines and ${d.bars} histogram bars`);
  }
  check(await page.locator('#timeline-processing-time line.ref').count() === 1,
    'the processing time timeline has no batch interval reference line');
  log(`charts filled: ${drawn.map((d) => `${d.key} ${d.circles} points/${d.bars} bars`).join(', ')}`);

  const health = (await page.locator('#health').textContent()).trim();
  await waitFor('the keeps up / falling behind indicator to give a verdict',
    () => ['ok', 'behind'].includes(document.getElementById('health').dataset.health));
  log(`indicator: ${(await page.locator('#health').textContent()).trim().replace(/\s+/g, ' ') || health}`);

  const completed = Number((await page.locator('#h-completed').textContent()).replace(/[^0-9]/g, ''));
  check(completed > 0, `the headline says ${completed} batches completed`);

  const rowsBefore = await page.locator('#batches tbody tr[data-batch-time]').count();
  check(rowsBefore > 0, 'the recent batches table has no rows');
  const newestBefore = await newestRow();
  const chartBatchesBefore = Number(await page.locator('#charts').getAttribute('data-batches'));
  log(`table: ${rowsBefore} rows, newest ${newestBefore}; charts: ${chartBatchesBefore} batches`);

  await waitFor('a new batch row to arrive through the event stream',
    (t) => [...document.querySelectorAll('#batches tbody tr[data-batch-time]')]
      .some((tr) => Number(tr.dataset.batchTime) > t && ['SUCCEEDED', 'FAILED'].includes(tr.dataset.status)),
    newestBefore);
  check(await page.evaluate(() => window.__sluiceTestMarker) === 'still the same page',
    'the page was reloaded: new rows must come from the event stream');
  const rowsAfter = await page.locator('#batches tbody tr[data-batch-time]').count();
  const newestAfter = await newestRow();
  check(rowsAfter >= rowsBefore, `the table went from ${rowsBefore} to ${rowsAfter} rows`);
  await waitFor('the charts to take in the new batches',
    (before) => Number(document.getElementById('charts').dataset.batches) > before || before >= 120, chartBatchesBefore);
  log(`live: newest row ${newestBefore} -> ${newestAfter}, ${rowsAfter} rows, charts `
    + `${chartBatchesBefore} -> ${await page.locator('#charts').getAttribute('data-batches')} batches, no reload`);

  // Drill down into a batch that ended: its stages with their tasks.
  const row = page.locator('#batches tbody tr[data-status="SUCCEEDED"]').nth(1);
  const time = Number(await row.getAttribute('data-batch-time'));
  await row.locator('button').click();
  await waitFor(`the detail of batch ${time} with its stages`,
    (t) => {
      const d = document.getElementById('batch-detail');
      return !d.hidden && Number(d.dataset.batchTime) === t && d.querySelectorAll('#stages tbody tr[data-stage]').length > 0;
    }, time);
  const stages = await page.evaluate(() => [...document.querySelectorAll('#stages tbody tr[data-stage]')]
    .map((tr) => [...tr.cells].slice(0, 8).map((c) => c.textContent.trim())));
  for (const s of stages) {
    check(Number(s[2].replace(/,/g, '')) > 0, `stage ${s[0]} shows ${s[2]} tasks`);
  }
  check(await page.locator('#batches tbody tr.selected').count() === 1, 'the clicked row is not marked selected');
  log(`batch ${time}: ${stages.length} stages (${stages.map((s) => `stage ${s[0]}: ${s[2]} tasks, ${s[4]} failed, ${s[7]}`).join('; ')})`);

  // Workers and receivers.
  await waitFor(`the workers table to list ${expectedWorkers.join(', ') || 'a worker'}`,
    (ids) => {
      const shown = [...document.querySelectorAll('#workers tbody tr[data-worker]')].map((tr) => tr.dataset.worker);
      return ids.length ? ids.every((id) => shown.includes(id)) : shown.length > 0;
    }, expectedWorkers);
  const workers = await page.evaluate(() => [...document.querySelectorAll('#workers tbody tr[data-worker]')]
    .map((tr) => `${tr.dataset.worker} (${tr.cells[2].textContent.trim()}, ${tr.cells[5].textContent.trim()} succeeded)`));
  log(`workers: ${workers.join(', ')}`);
  await waitFor('the receivers table to list a receiver',
    () => document.querySelectorAll('#receivers tbody tr[data-receiver]').length > 0);
  const receivers = await page.evaluate(() => [...document.querySelectorAll('#receivers tbody tr[data-receiver]')]
    .map((tr) => `${tr.dataset.receiver}: ${[...tr.cells].slice(-2).map((c) => c.textContent.trim()).join(', ')}`));
  log(`receivers: ${receivers.join('; ')}`);

  check(pageErrors.length === 0, `the page logged errors:\n  ${pageErrors.join('\n  ')}`);

  // Let the freshly-arrived row's highlight fade before the picture.
  await page.waitForTimeout(1800);
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`screenshot: ${screenshot}`);
}

async function newestRow() {
  return page.evaluate(() => Math.max(0, ...[...document.querySelectorAll('#batches tbody tr[data-batch-time]')]
    .map((tr) => Number(tr.dataset.batchTime))));
}

/** Waits until fn(arg), run in the page, is true; fails naming `what` after STEP_TIMEOUT_MS. */
async function waitFor(what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: STEP_TIMEOUT_MS, polling: 200 });
  } catch (e) {
    throw new Error(`waited ${STEP_TIMEOUT_MS / 1000} s for ${what}${e.name === 'TimeoutError' ? '' : `: ${e.message}`}`);
  }
}

function check(ok, message) {
  if (!ok) throw new Error(message);
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) fail(`unexpected argument ${argv[i]}`);
    const [k, v] = argv[i].includes('=') ? argv[i].slice(2).split(/=(.*)/s) : [argv[i].slice(2), argv[++i]];
    out[k] = v;
  }
  return out;
}
