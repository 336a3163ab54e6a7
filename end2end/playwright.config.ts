import { defineConfig, devices } from '@playwright/test';

// The app is tested as investors get it: the release build in ../dist, served by the reference backend
// (dev mode, so tests can read the SMS codes it "sends"), with a fresh data folder per run.
const port = Number(process.env.E2E_PORT ?? 8090);
export const backend = process.env.BACKEND_BIN ?? '../target/debug/backend';
/** The backend's data folder (relative to end2end/), which the operator command of the tests opens too. */
export const dataDir = `.data-${port}`;
// Another build of the app may be tested with E2E_DIST (a folder made by `trunk build --dist`).
const dist = process.env.E2E_DIST ?? '../dist';
export const baseURL = `http://127.0.0.1:${port}`;

/** A second server of the same build under a base path (docs/embedding.md), with the demo host pages. */
export const kaihuPort = port + 1;
export const kaihuOrigin = `http://127.0.0.1:${kaihuPort}`;
export const kaihuBase = '/kaihu/';
/** A site of another origin that shows the app in an iframe; its pages are served by the tests (`page.route`). */
export const hostOrigin = 'http://www.hbets.test';

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
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions: chromium } },
    {
      name: 'mobile',
      use: { ...devices['Pixel 7'], launchOptions: chromium },
    },
  ],
  webServer: [
    {
      command: server(port, dataDir),
      url: `${baseURL}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The same build under /kaihu/, framed by the test host site, with the demo host pages at /demo/.
      command:
        server(kaihuPort, `${dataDir}-kaihu`) +
        ` --base-path ${kaihuBase} --demo-dir ../examples/host --frame-ancestors "'self' ${hostOrigin}"`,
      url: `${kaihuOrigin}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});

/** The reference backend in dev mode on `listen`, with a fresh data folder. */
function server(listen: number, data: string) {
  return (
    `rm -rf ${data} && ${backend} --dev --dist ${dist} --data-dir ${data} --addr 127.0.0.1:${listen}` +
    ` --quiz ../public/quiz.json --quiz-key ../crates/backend/quiz-answer-key.json --app-config ${dist}/config.json` +
    // Every test comes from 127.0.0.1: the per-address limits are raised so that they do not add up across
    // tests (the per-number SMS limits, which the tests exercise, stay as shipped).
    ` --quiz-attempts-per-ip-per-day 10000 --sms-per-ip-per-hour 10000 --applications-per-ip-per-hour 10000`
  );
}
