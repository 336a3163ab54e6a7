import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

// The app is tested as investors get it: the release build in ../dist, served by the reference backend
// (dev mode, so tests can read the SMS codes it "sends"), with a fresh data folder per run. The backend's log
// (JSON lines) goes to .data-<port>.log, which the log audit reads after the run (log-audit.ts).
const port = Number(process.env.E2E_PORT ?? 8090);
export const backend = process.env.BACKEND_BIN ?? '../target/debug/backend';
/** The backend's data folder (relative to end2end/), which the operator command of the tests opens too. */
export const dataDir = `.data-${port}`;
// Another build of the app may be tested with E2E_DIST (a folder made by `trunk build --dist`).
const dist = process.env.E2E_DIST ?? '../dist';
export const baseURL = `http://127.0.0.1:${port}`;
// A second backend on the next port with daily caps a test can reach (limits.spec.ts).
export const limitsPort = port + 1;
export const limitsURL = `http://127.0.0.1:${limitsPort}`;
/** A third server of the same build under a base path (docs/embedding.md), with the demo host pages. */
export const kaihuPort = port + 2;
export const kaihuOrigin = `http://127.0.0.1:${kaihuPort}`;
export const kaihuBase = '/kaihu/';
/**
 * The exchange's site on another origin, which shows the app in an iframe (host-site.mjs serves the demo host
 * pages). On the loopback too: Chromium refuses a public site's requests into the loopback (Private Network
 * Access). A second such site frames the main test backend, whose CSP does not name it.
 */
const hostPort = port + 3;
export const hostOrigin = `http://localhost:${hostPort}`;
const refusedHostPort = port + 4;
export const refusedHostOrigin = `http://localhost:${refusedHostPort}`;
export const logFiles = [port, limitsPort, kaihuPort].map((at) => path.join(__dirname, `.data-${at}.log`));

/** The main test backend's log (JSON lines), which the privacy test reads. */
export const backendLog = path.join(__dirname, `.data-${port}.log`);

/**
 * The flags of a test backend listening on `at` with its data in `data`: development mode (so tests can read the
 * SMS codes it "sends"), the built app and its config, the quiz and its key, JSON logs, and `flags`.
 */
export function backendArgs(data: string, at: number, flags: string[] = []): string[] {
  return [
    '--dev',
    ...['--dist', dist, '--data-dir', data, '--addr', `127.0.0.1:${at}`],
    ...['--quiz', '../public/quiz.json', '--quiz-key', '../crates/backend/quiz-answer-key.json'],
    ...['--app-config', `${dist}/config.json`, '--log-format', 'json'],
    ...flags,
  ];
}

/**
 * Every test comes from 127.0.0.1: the per-address limits and the service's SMS budget are raised so that they
 * do not add up across tests (the per-number SMS limits, which the tests exercise, stay as shipped).
 */
export const sharedLimits = [
  ...['--quiz-attempts-per-ip-per-day', '10000', '--sms-per-ip-per-hour', '10000'],
  ...['--applications-per-ip-per-hour', '10000', '--sms-budget-per-hour', '100000'],
  ...['--username-checks-per-ip-per-hour', '100000', '--submission-replays-per-ip-per-hour', '10000'],
  ...['--lookups-per-ip-per-hour', '10000'],
];

/** The demo host site of examples/host on `at`, framing the app at `appURL`. */
function hostSite(at: number, appURL: string) {
  return {
    command: `node host-site.mjs ${at} ${appURL}`,
    url: `http://localhost:${at}/demo/`,
    reuseExistingServer: false,
    timeout: 10_000,
  };
}

/** The backend on `at` with a fresh data folder and `flags`, its log in `.data-<at>.log`. */
function server(at: number, flags: string[]) {
  return {
    command: `rm -rf .data-${at} && ${backend} ${backendArgs(`.data-${at}`, at, flags).join(' ')} > .data-${at}.log`,
    url: `http://127.0.0.1:${at}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  // A test that fails once and passes on its retry is reported as flaky in the summary, not hidden.
  retries: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  // A whole application (quiz, SMS, three images, submit) takes 10-20 s on this 2-core machine when busy.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  // The failure tables, the privacy run and the CSP checks run once, on the desktop; the attack pages on the
  // phone, where a hostile long text would first break the layout.
  projects: [
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], launchOptions: chromium },
      testIgnore: ['xss.spec.ts'],
    },
    {
      name: 'mobile',
      use: { ...devices['Pixel 7'], launchOptions: chromium },
      testIgnore: ['faults-*.spec.ts', 'privacy.spec.ts', 'csp.spec.ts'],
    },
  ],
  globalTeardown: './log-audit.ts',
  webServer: [
    server(port, sharedLimits),
    // Daily caps of a number reached within a test: no cooldown, two codes and two wrong codes a day.
    server(limitsPort, [
      ...['--quiz-attempts-per-ip-per-day', '10000', '--sms-per-ip-per-hour', '10000', '--sms-cooldown-s', '0'],
      ...['--sms-per-phone-per-day', '2', '--sms-wrong-codes-per-phone-per-day', '2'],
    ]),
    // The same build under /kaihu/, framed by the test host site, with the demo host pages at /demo/.
    server(kaihuPort, [
      ...sharedLimits,
      ...['--base-path', kaihuBase, '--demo-dir', '../examples/host', '--frame-ancestors', `"'self' ${hostOrigin}"`],
    ]),
    // The exchange's site on other origins: one frames the app under /kaihu/, which names it in frame-ancestors;
    // the other frames the main test backend, which does not.
    hostSite(hostPort, `${kaihuOrigin}${kaihuBase}`),
    hostSite(refusedHostPort, `${baseURL}/`),
  ],
});

