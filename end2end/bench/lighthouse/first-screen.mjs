// The first screen on a phone (`make bench`): Lighthouse 12's mobile preset (simulated 150 ms RTT, 1.6 Mbps,
// 4× CPU) against Debian's Chromium, simulated and applied throttling, cold cache, on the entry page as the reference backend serves the release
// build; and the bytes the browser needs before the first screen works (wasm + js + css as sent, brotli).
// Prints each figure beside its target and writes them to the file named by the first argument (Markdown).
// The same figures of the yardstick (end2end/bench/yardstick: a Leptos hello-world with a router, built with the
// app's profile into target/yardstick-dist and served the same way) follow, with the ratio app / yardstick.
//
// Usage: node first-screen.mjs OUT.md   (BENCH_PORT, BENCH_RUNS, BACKEND_BIN, BENCH_DIST, BENCH_YARDSTICK_PORT,
// BENCH_YARDSTICK_DIST override the defaults; BENCH_YARDSTICK=0 measures the app alone)
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const out = process.argv[2] ?? path.join(root, 'target/first-screen.md');
const port = Number(process.env.BENCH_PORT ?? 8095);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const backendBin = process.env.BACKEND_BIN ?? path.join(root, 'target/debug/backend');
const dist = process.env.BENCH_DIST ?? path.join(root, 'dist');
const url = `http://127.0.0.1:${port}/`;
const yardstickPort = Number(process.env.BENCH_YARDSTICK_PORT ?? port + 1);
const yardstickDist = process.env.BENCH_YARDSTICK_DIST ?? path.join(root, 'target/yardstick-dist');
const yardstickURL = `http://127.0.0.1:${yardstickPort}/`;
const withYardstick = process.env.BENCH_YARDSTICK !== '0';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
// 1 KB = 1000 bytes, as tools/bundle-budget.sh counts.
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/** The reference backend on a fresh data folder, serving the release build in `files` (the app's by default). */
async function startBackend(at = port, files = dist) {
  const base = `http://127.0.0.1:${at}/`;
  const data = fs.mkdtempSync(path.join(root, 'target/bench-data-'));
  const args = ['--addr', `127.0.0.1:${at}`, '--dist', files, '--app-config', path.join(dist, 'config.json')];
  const child = spawn(backendBin, [...args, '--data-dir', data, '--dev'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}api/v1/health`)).ok) return { child, data };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`the backend did not start on ${base}`);
}

/**
 * Bytes of the first download as sent to a browser that accepts brotli (the .br copies): the files that
 * tools/bundle-budget.sh counts as the first download (the main wasm, its bindings, the parts' loader and the
 * stylesheet), not the later pages' parts, which come after the first page works.
 */
function firstScreenBytes() {
  const files = execFileSync(path.join(root, 'tools/bundle-budget.sh'), ['--first-download', dist], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const sizes = files.map((file) => [path.basename(file), fs.statSync(`${file}.br`).size]);
  return { sizes, total: sizes.reduce((sum, [, size]) => sum + size, 0) };
}

/** The yardstick's wasm, js and css as sent with brotli: every hashed one of its build (it has no other). */
function yardstickBytes() {
  const files = fs.readdirSync(yardstickDist).filter((name) => /-[0-9a-f]{12,16}(_bg)?\.(wasm|js|css)\.br$/.test(name));
  const sizes = files.map((name) => [name.replace(/\.br$/, ''), fs.statSync(path.join(yardstickDist, name)).size]);
  return { sizes, total: sizes.reduce((sum, [, size]) => sum + size, 0) };
}

/**
 * Lighthouse's figures of `runs` cold loads of the page at `page`, with the preset's throttling done `method`. A run
 * Lighthouse could not finish (a runtime error, such as no paint seen on a busy machine) is done again, twice at
 * most over all runs.
 */
async function measure(method, page = url) {
  const figures = [];
  let failures = 0;
  while (figures.length < runs) {
    const chrome = await chromeLauncher.launch({
      chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
    });
    try {
      const result = await lighthouse(page, {
        port: chrome.port,
        onlyCategories: ['performance'],
        throttlingMethod: method,
        output: 'json',
        logLevel: 'error',
      });
      const failed = result.lhr.runtimeError;
      if (failed) {
        const what = `Lighthouse on ${page} (${method}): ${failed.code} ${failed.message}`;
        if (++failures > 2) throw new Error(what);
        console.error(`${what}; run again`);
        continue;
      }
      const audits = result.lhr.audits;
      figures.push({
        score: Math.round(result.lhr.categories.performance.score * 100),
        fcp: audits['first-contentful-paint'].numericValue,
        lcp: audits['largest-contentful-paint'].numericValue,
        tbt: audits['total-blocking-time'].numericValue,
        cls: audits['cumulative-layout-shift'].numericValue,
        bytes: audits['total-byte-weight'].numericValue,
        benchmarkIndex: result.lhr.environment.benchmarkIndex,
      });
    } finally {
      await chrome.kill();
    }
  }
  return figures;
}

const { child, data } = await startBackend();
let simulated, applied;
try {
  simulated = await measure('simulate');
  applied = await measure('devtools');
} finally {
  child.kill();
  fs.rmSync(data, { recursive: true, force: true });
}

let yardstick = null;
if (withYardstick) {
  if (!fs.existsSync(path.join(yardstickDist, 'index.html'))) {
    throw new Error(`no yardstick build in ${yardstickDist}: cd end2end/bench/yardstick && trunk build --release`);
  }
  const server = await startBackend(yardstickPort, yardstickDist);
  try {
    yardstick = {
      simulated: await measure('simulate', yardstickURL),
      applied: await measure('devtools', yardstickURL),
    };
  } finally {
    server.child.kill();
    fs.rmSync(server.data, { recursive: true, force: true });
  }
}

const m = (figures, key) => median(figures.map((f) => f[key]));
const bytes = firstScreenBytes();
const both = (key, show) => [show(m(simulated, key)), show(m(applied, key))];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const rows = [
  ['Performance score', ...both('score', String), '≥ 90', (f) => m(f, 'score') >= 90],
  ['First Contentful Paint', ...both('fcp', seconds), '—', null],
  ['Largest Contentful Paint', ...both('lcp', seconds), '≤ 1.8 s', (f) => m(f, 'lcp') <= 1800],
  ['Total Blocking Time', ...both('tbt', (v) => `${v.toFixed(0)} ms`), '≤ 200 ms', (f) => m(f, 'tbt') <= 200],
  ['Cumulative Layout Shift', ...both('cls', (v) => v.toFixed(3)), '≤ 0.05', (f) => m(f, 'cls') <= 0.05],
  ['Transferred (whole load)', ...both('bytes', kb), '—', null],
];
const verdicts = (check) => (check === null ? '' : `${verdict(check(simulated))} / ${verdict(check(applied))}`);
const table = [
  '| Measure | Simulated (the preset) | Applied (DevTools) | Target | |',
  '|---|---|---|---|---|',
  ...rows.map(([what, sim, app, target, check]) => `| ${what} | ${sim} | ${app} | ${target} | ${verdicts(check)} |`),
  `| wasm + js + css before the app works (brotli) | ${kb(bytes.total)} | | ≤ 170 KB | ${verdict(bytes.total <= 170_000)} |`,
].join('\n');
const runsOf = (figures) =>
  figures
    .map(
      (f) =>
        `score ${f.score}, FCP ${seconds(f.fcp)}, LCP ${seconds(f.lcp)}, TBT ${f.tbt.toFixed(0)} ms ` +
        `(benchmark index ${Math.round(f.benchmarkIndex)})`,
    )
    .join('; ');
const detail = [
  `Medians of ${runs} Lighthouse ${JSON.parse(fs.readFileSync(path.join(here, 'node_modules/lighthouse/package.json'))).version} runs`,
  `per column (mobile preset: 150 ms RTT, 1.6 Mbps, 4× CPU; cold cache) on ${url} as the reference backend`,
  'serves `dist/`. "Simulated" is the preset as it is (Lantern estimates the throttled load from a fast one);',
  '"Applied" throttles the load itself (`throttlingMethod: devtools`). The entry page is written into index.html',
  'and painted before the app loads; the app\'s script and wasm are requested once it has been painted',
  '(`pattern_script` in Trunk.toml), then the app is built in short tasks (src/tasks.rs). Lantern counts every',
  'request started before the observed paint toward its LCP: while the wasm was requested at once, its simulated',
  'LCP stayed near the wasm\'s arrival (2.3-2.8 s) although the applied throttling saw the page painted first.',
  '',
  'The benchmark index beside each run is Lighthouse\'s measure of the machine\'s speed at that run (higher is',
  'faster): the timings, the simulated ones above all, scale with it, and it moves with the load of this shared',
  'machine.',
  '',
  `Simulated runs: ${runsOf(simulated)}.`,
  `Applied runs: ${runsOf(applied)}.`,
  `Files: ${bytes.sizes.map(([name, size]) => `${name} ${kb(size)}`).join(', ')}.`,
].join('\n');

/** The yardstick's figures beside the app's, with the ratio app / yardstick (— where the yardstick's is 0). */
function yardstickSection() {
  const ys = yardstickBytes();
  const ratio = (app, stick) => (stick > 0 ? `${(app / stick).toFixed(2)}×` : '—');
  const pair = (key, show) => {
    const [sim, app] = [m(yardstick.simulated, key), m(yardstick.applied, key)];
    return [show(sim), show(app), ratio(m(simulated, key), sim), ratio(m(applied, key), app)];
  };
  const yardstickRows = [
    ['Performance score', ...pair('score', String)],
    ['First Contentful Paint', ...pair('fcp', seconds)],
    ['Largest Contentful Paint', ...pair('lcp', seconds)],
    ['Total Blocking Time', ...pair('tbt', (v) => `${v.toFixed(0)} ms`)],
    ['Cumulative Layout Shift', ...pair('cls', (v) => v.toFixed(3))],
    ['Transferred (whole load)', ...pair('bytes', kb)],
  ];
  return [
    '### Beside the yardstick',
    '',
    'The yardstick is a Leptos 0.8 hello-world with leptos_router (two routes, client-side rendered;',
    '`end2end/bench/yardstick/`), built by trunk with the app\'s release profile (opt-level z, LTO, one codegen',
    `unit, panic abort) and \`data-wasm-opt="z"\`, brotli copies as the app's, served by the reference backend on`,
    `${yardstickURL}; measured in the same run, the same way (medians of ${runs} runs per column). Its page is`,
    'empty until its wasm has run, while the app paints the entry page written into index.html first.',
    '',
    '| Measure | Yardstick simulated | Yardstick applied | App / yardstick (simulated) | App / yardstick (applied) |',
    '|---|---|---|---|---|',
    ...yardstickRows.map((cells) => `| ${cells.join(' | ')} |`),
    `| wasm + js + css (brotli) | ${kb(ys.total)} | | ${ratio(bytes.total, ys.total)} | |`,
    '',
    `Yardstick simulated runs: ${runsOf(yardstick.simulated)}.`,
    `Yardstick applied runs: ${runsOf(yardstick.applied)}.`,
    `Yardstick files: ${ys.sizes.map(([name, size]) => `${name} ${kb(size)}`).join(', ')}.`,
  ].join('\n');
}

const report = [table, detail, ...(yardstick ? [yardstickSection()] : [])].join('\n\n');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${report}\n`);
console.log(`\nFirst screen (Lighthouse mobile preset)\n${report}`);
