import { defineConfig, devices } from '@playwright/test';
import base from './playwright.config';

// The benchmarks of `make bench`: the image pipeline (issue 5) and the interaction at 4× CPU slowdown (issue 13),
// end2end/bench/*.bench.ts, never part of the normal `npx playwright test` run (whose testDir is ./tests);
// `npx playwright test --config bench.config.ts interaction` runs one of them. The same release build and
// reference backend as the end-to-end tests (E2E_DIST, E2E_PORT and BACKEND_BIN work the same), one worker so
// nothing else competes for the CPU, and Chromium's precise memory figures for performance.memory.
const launchOptions = base.use?.launchOptions ?? {};

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 30 * 60_000,
  projects: [
    {
      name: 'bench',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { ...launchOptions, args: [...(launchOptions.args ?? []), '--enable-precise-memory-info'] },
        // browser-image-compression is put into the page with addScriptTag (an inline script, which the app's
        // CSP forbids as it should) and runs its web worker from a blob: URL.
        bypassCSP: true,
        // No trace: recording one snapshots the page's DOM around every action, on the page's main thread, and
        // that work landed inside the interactions being timed (about 100 ms of a step change at 4× CPU).
        trace: 'off',
      },
    },
  ],
});
