import { test, expect } from './fixtures/test';
import { openEntryPage } from './fixtures/wizard';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';
import { expectAccessible, expectNoChinese } from './fixtures/checks';
import { PARTS, prefetched } from './fixtures/parts';
import { holdRequests } from './fixtures/faults';

// The first download holds the entry page; the personal application's pages and the enterprise page are parts of
// the wasm of their own (src/routes.rs, tools/split-wasm.sh), fetched while the investor reads the entry page.
const personalPart = PARTS.personal;

test('the later steps download while the investor reads the entry page, and then open without the network', async ({
  page,
  context,
}) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname);
  });
  const parts = prefetched(page);
  await openEntryPage(page);
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  for (const part of await parts) expect(part.ok(), part.url()).toBe(true);
  expect(wasm.length, 'the first download and the parts are separate files').toBeGreaterThan(1);

  await context.setOffline(true);
  const loading = page.getByRole('status').filter({ hasText: zh.loading });
  await page.getByRole('link', { name: zh.entry.start }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
  await expect(loading).toHaveCount(0);
  await page.goBack();
  await page.getByRole('link', { name: zh.entry.start }).nth(1).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.enterprise.title })).toBeVisible();
  await expect(loading).toHaveCount(0);
  await context.setOffline(false);
});

test.describe('a step whose code cannot be downloaded', () => {
  // The browser reports the refused download, and the part's loader logs why.
  test.use({ expectedConsoleErrors: [/Failed to load resource|Failed to fetch|ERR_FAILED|TypeError/] });

  test('shows what happened and a retry where the step would be, and the retry opens it', async ({ page }) => {
    await page.route(personalPart, (route) => route.abort('failed'));
    await openEntryPage(page);
    await page.getByRole('link', { name: zh.entry.start }).first().click();

    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { level: 1, name: zh.page_not_loaded.title })).toBeVisible();
    await expect(alert).toContainText(zh.page_not_loaded.body);
    await expect(page).toHaveURL(/\/personal$/);
    await expectAccessible(page, 'a step that could not be downloaded');
    // The page around it stays: the language switch still works, and the message follows it.
    await page.getByRole('button', { name: 'English' }).click();
    await expect(alert.getByRole('heading', { level: 1, name: en.page_not_loaded.title })).toBeVisible();
    await expectNoChinese(page, 'a step that could not be downloaded, in English');
    await page.getByRole('button', { name: '中文' }).click();

    await page.unroute(personalPart);
    await alert.getByRole('button', { name: zh.page_not_loaded.retry }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('opened at its own address (a reload mid-way), it shows the retry too', async ({ page }) => {
    await page.route(personalPart, (route) => route.abort('failed'));
    await page.goto('/personal/quiz');
    await expect(page.getByRole('heading', { level: 1, name: zh.page_not_loaded.title })).toBeVisible();
    await page.unroute(personalPart);
    await page.getByRole('button', { name: zh.page_not_loaded.retry }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.quiz.title })).toBeVisible();
  });
});

test.describe('a step whose code comes late, over a slow network', () => {
  test('its heading takes the focus once it shows', async ({ page }) => {
    const release = await holdRequests(page, personalPart);
    await openEntryPage(page);
    await page.getByRole('link', { name: zh.entry.start }).first().click();
    await expect(page.getByRole('status').filter({ hasText: zh.loading })).toBeVisible();
    // Well past the half second the heading used to be looked for.
    await page.waitForTimeout(1500);
    release();
    await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeFocused();
  });

  test('the focus the investor put elsewhere meanwhile stays there', async ({ page }) => {
    const release = await holdRequests(page, personalPart);
    await openEntryPage(page);
    await page.getByRole('link', { name: zh.entry.start }).first().click();
    await expect(page.getByRole('status').filter({ hasText: zh.loading })).toBeVisible();
    const english = page.getByRole('button', { name: 'English' });
    await english.focus();
    release();
    await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
    await page.waitForTimeout(300);
    await expect(english).toBeFocused();
  });
});
