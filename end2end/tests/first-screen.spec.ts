import { test, expect } from './fixtures/test';
import type { Locator, Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';
import { holdRequests } from './fixtures/faults';

// index.html carries the entry page as plain HTML, painted before the app (wasm) has loaded: on a phone on a
// slow network the first screen shows at once and its links work. The app takes over once it can show its own
// page. These tests hold the wasm back to see the page before the app runs.

/** Holds every request for the app's wasm until `release()` is called. */
const holdTheApp = (page: Page) => holdRequests(page, /\.wasm$/);

/** The markup of an element without the comment markers the app's renderer leaves. */
const markup = (element: Locator) =>
  element.evaluate((el) => el.outerHTML.replace(/<!--[^>]*-->/g, '').replace(/\s+id="[^"]*"/g, ''));

const boxes = (root: Locator) =>
  Promise.all(
    [root.getByRole('heading', { level: 1 }), ...[0, 1].map((i) => root.getByRole('link', { name: zh.entry.start }).nth(i))].map(
      (l) => l.boundingBox(),
    ),
  );

test('the entry page is painted before the app has loaded, and the app takes it over without moving anything', async ({
  page,
}) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  const written = page.locator('#first-screen');
  await expect(written.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  await expect(written.getByRole('link', { name: zh.entry.start })).toHaveCount(2);
  const writtenHeader = await markup(written.locator('header'));
  const writtenMain = await markup(written.locator('main'));
  const writtenBoxes = await boxes(written);
  await page.evaluate(() => {
    (window as any).__shifted = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) if (!entry.hadRecentInput) (window as any).__shifted += entry.value;
    }).observe({ type: 'layout-shift' });
  });

  release();
  await expect(written).toHaveCount(0);
  const app = page.locator('.hbets-kaihu');
  await expect(app.getByRole('contentinfo')).toBeVisible();
  // The same page: the same header and main, where they were (the app adds the footer with the help line).
  expect(await markup(app.locator('header'))).toBe(writtenHeader);
  expect(await markup(app.locator('main'))).toBe(writtenMain);
  expect(await boxes(app)).toEqual(writtenBoxes);
  expect(await page.evaluate(() => (window as any).__shifted)).toBe(0);
  // And it is the app's page now: the language switch works.
  await app.getByRole('button', { name: 'English' }).click();
  await expect(app.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
});

test('a link of the written page works before the app has loaded', async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  await page.locator('#first-screen').getByRole('link', { name: zh.entry.start }).first().click();
  await expect(page).toHaveURL(/\/personal$/);
  // Another address: nothing written is shown, the app shows its page.
  await expect(page.locator('#first-screen')).toHaveCount(0);
  release();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
});

test('a link of the written page clicked while the app is starting under it still opens its page', async ({ page }) => {
  // The app's router listens to clicks on links from the moment it is set up, a few tasks before the app's entry
  // page takes the written one over. A click in that moment: right after the router's listener is added.
  await page.addInitScript(() => {
    const add = window.addEventListener;
    window.addEventListener = function (this: Window, ...args: Parameters<typeof add>) {
      add.apply(this, args);
      if (args[0] === 'click' && !(window as any).__clicked) {
        (window as any).__clicked = true;
        queueMicrotask(() => document.querySelector<HTMLElement>('#first-screen a[href="/personal"]')?.click());
      }
    } as typeof add;
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
  await expect(page).toHaveURL(/\/personal$/);
  expect(await page.evaluate(() => (window as any).__clicked)).toBe(true);
});

test('a press begun on the written page while the app takes it over still opens its link', async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  const start = page.locator('#first-screen').getByRole('link', { name: zh.entry.start }).first();
  const box = (await start.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  release();
  // The app is ready under the written page: it has removed it, or left that to index.html until the press is over.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const written = document.getElementById('first-screen');
        return !written || written.hasAttribute('data-taken-over');
      }),
    )
    .toBe(true);
  await page.mouse.up();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
  await expect(page.locator('#first-screen')).toHaveCount(0);
});

test('English pressed on the written page while the app takes it over is the language the app shows', async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  const english = page.locator('#first-screen').getByRole('button', { name: 'English' });
  const box = (await english.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  release();
  await expect
    .poll(() => page.evaluate(() => document.getElementById('first-screen')?.hasAttribute('data-taken-over') ?? true))
    .toBe(true);
  await page.mouse.up();
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#first-screen')).toHaveCount(0);
});

test('another address, or English chosen on an earlier visit, waits for the app instead', async ({ page }) => {
  const release = await holdTheApp(page);
  await page.goto('/personal/identity');
  await expect(page.locator('#first-screen')).toHaveCount(0);
  await page.evaluate(() => localStorage.setItem('hbets-kaihu.locale', 'en'));
  await page.goto('/');
  await expect(page.locator('#first-screen')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);
  release();
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
});

test("the app's files are fetched once the written page has been painted, not before", async ({ page }) => {
  // On a slow network they would otherwise share the bandwidth with the stylesheet the written page waits for.
  await page.goto('/');
  await expect(page.locator('#first-screen')).toHaveCount(0);
  const [paint, files] = await page.evaluate(() => [
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    performance
      .getEntriesByType('resource')
      .filter((entry) => /\/app-[0-9a-f]+(_bg\.wasm|\.js)$/.test(entry.name))
      .map((entry) => [entry.name, entry.startTime] as const),
  ]);
  expect(paint, 'the first contentful paint').not.toBeNull();
  expect(files.map(([name]) => name.replace(/.*\/app-[0-9a-f]+/, 'app'))).toEqual(
    expect.arrayContaining(['app.js', 'app_bg.wasm']),
  );
  for (const [name, start] of files) expect(start, `${name} requested after the first contentful paint`).toBeGreaterThan(paint!);
});

test('a page opened in the background, which paints nothing, starts the app all the same', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    Object.defineProperty(document, 'hidden', { get: () => true });
    // A hidden page runs no frame callbacks: the start must not wait for one.
    window.requestAnimationFrame = () => 0;
  });
  await page.goto('/');
  await expect(page.locator('#first-screen')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
});

test('English chosen on the written page before the app has loaded is the language the app shows it in', async ({
  page,
}) => {
  const release = await holdTheApp(page);
  await page.goto('/');
  const english = page.locator('#first-screen').getByRole('button', { name: 'English' });
  await english.click();
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  release();
  await expect(page.locator('#first-screen')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  // Remembered, as a choice made in the app is.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
});
