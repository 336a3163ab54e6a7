import { defineConfig, devices } from '@playwright/test';

// The designers' loop, once per `make test`: `trunk serve` as `make dev` runs it (debug build, live reload),
// on its own port and into its own folder so that the release build in ../dist stays as the other tests use it.
// Only the app crate compiles (the browser-test layer built its dependencies), which on a busy machine takes
// minutes: hence the generous start-up timeout.
const port = Number(process.env.DEV_LOOP_PORT ?? 8095);
export const devURL = `http://127.0.0.1:${port}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
};

export default defineConfig({
  testDir: './dev-loop',
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 120_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: devURL,
    trace: 'retain-on-failure',
    launchOptions: chromium,
    ...devices['Desktop Chrome'],
  },
  webServer: {
    // trunk refuses to start when a folder its watch ignores (Trunk.toml) does not exist, as on a fresh clone.
    command: `mkdir -p data dist && trunk serve --public-url / --port ${port} --dist target/dev-loop-dist`,
    cwd: '..',
    url: `${devURL}/index.html`,
    reuseExistingServer: false,
    timeout: 20 * 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
