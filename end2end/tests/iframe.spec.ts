import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import {
  entryToFirstQuestion,
  hostOrigin,
  kaihuOrigin,
  refusedHostOrigin,
  withConfig,
} from './fixtures/embedding';
import zh from '../../locales/zh-CN.json';

// The app in an iframe of the exchange's site: it posts its content height to the page around it, only where
// config.json allows that page's origin (`frame_parent_origins`; the app's own origin always), and
// kaihu-frame.js sets the iframe's height. The server's CSP frame-ancestors decides who may frame it at all.

/** Records the app's messages as the host page receives them. */
async function recordMessages(page: Page) {
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { kaihuMessages: unknown[] }).kaihuMessages = seen;
    window.addEventListener('message', (event) => {
      if (window === window.top) seen.push({ origin: event.origin, data: event.data });
    });
  });
}

function messages(page: Page) {
  return page.evaluate(() => (window as unknown as { kaihuMessages: { data: { height: number } }[] }).kaihuMessages);
}

/** The iframe's height as the page lays it out, and the height of the app's content inside it. */
async function heights(page: Page) {
  const frame = page.locator('iframe[data-hbets-kaihu-frame]');
  const outer = (await frame.boundingBox())!.height;
  const inner = await page
    .frameLocator('iframe[data-hbets-kaihu-frame]')
    .locator('.layout-body')
    .evaluate((body) => body.getBoundingClientRect().bottom);
  return { outer, inner };
}

test('on the same origin the iframe grows and shrinks with the app', async ({ page }) => {
  await page.goto(`${kaihuOrigin}/demo/frame/`);
  const app = page.frameLocator('iframe[data-hbets-kaihu-frame]');
  await expect(app.getByRole('heading', { level: 1, name: zh.entry.title, exact: true })).toBeVisible();
  await expect.poll(async () => Math.abs((await heights(page)).outer - (await heights(page)).inner)).toBeLessThan(2);
  const entryHeight = (await heights(page)).outer;

  await entryToFirstQuestion(app);
  // The test's page is far taller than the entry page: the iframe follows, with no scroll bar of its own.
  await expect.poll(async () => (await heights(page)).outer).toBeGreaterThan(entryHeight + 500);
  await expect.poll(async () => Math.abs((await heights(page)).outer - (await heights(page)).inner)).toBeLessThan(2);
});

test('a parent origin allowed in config.json gets the height', async ({ page }) => {
  await recordMessages(page);
  await withConfig(page, { frame_parent_origins: [hostOrigin] });
  await page.goto(`${hostOrigin}/demo/frame/`);
  const app = page.frameLocator('iframe[data-hbets-kaihu-frame]');
  await entryToFirstQuestion(app);
  await expect.poll(async () => (await heights(page)).outer).toBeGreaterThan(1000);
  const received = await messages(page);
  expect(received.length).toBeGreaterThan(0);
  for (const message of received) {
    expect(message).toMatchObject({ origin: kaihuOrigin, data: { type: 'hbets-kaihu:height' } });
  }
});

test('a parent origin that config.json does not allow gets nothing', async ({ page }) => {
  await recordMessages(page);
  await withConfig(page, { frame_parent_origins: ['https://www.hbets.cn'] });
  await page.goto(`${hostOrigin}/demo/frame/`);
  const app = page.frameLocator('iframe[data-hbets-kaihu-frame]');
  await entryToFirstQuestion(app);
  // The app works in the frame, which keeps the height the page gave it and scrolls inside.
  await page.waitForTimeout(500);
  expect(await messages(page)).toEqual([]);
  expect((await heights(page)).outer).toBe(600);
});

test.describe('a server that does not name the parent in frame-ancestors', () => {
  test.use({ expectedConsoleErrors: [/frame-ancestors/] });

  test('is not shown in its frame at all', async ({ page }) => {
    const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
    await page.goto(`${refusedHostOrigin}/demo/frame/`);
    await refused;
    const app = page.frameLocator('iframe[data-hbets-kaihu-frame]');
    await expect(app.getByRole('heading', { level: 1, name: zh.entry.title, exact: true })).toHaveCount(0);
  });
});
