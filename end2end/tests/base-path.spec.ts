import { test, expect } from './fixtures/test';
import { entryToFirstQuestion, firstQuestion, kaihuBase, kaihuOrigin, kaihuURL, withConfig } from './fixtures/embedding';
import zh from '../../locales/zh-CN.json';

// The same build as every other test, served under /kaihu/ by a second reference backend (--base-path): the
// router, the asset files, config.json and the agreement texts all follow the base path.

test('the app runs under its base path, and a deep link survives a refresh', async ({ page }) => {
  const config = page.waitForRequest((request) => request.url().endsWith('/config.json'));
  await page.goto(kaihuURL);
  expect((await config).url()).toBe(`${kaihuURL}config.json`);
  await entryToFirstQuestion(page);
  await expect(page).toHaveURL(`${kaihuURL}personal/quiz`);

  await page.reload();
  await expect(firstQuestion(page)).toBeVisible();
  await expect(page).toHaveURL(`${kaihuURL}personal/quiz`);

  await page.goto(`${kaihuURL}personal`);
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
  await page.getByRole('link', { name: zh.common.back, exact: true }).click();
  await expect(page).toHaveURL(kaihuURL);
});

test('the page names the base path and loads every file from under it', async ({ page, request }) => {
  const answer = await request.get(`${kaihuURL}personal/identity`, { headers: { accept: 'text/html' } });
  expect(answer.status()).toBe(200);
  const html = await answer.text();
  expect(html).toContain(`<base href="${kaihuBase}"`);

  const outside: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === kaihuOrigin && !url.pathname.startsWith(kaihuBase) && !url.pathname.startsWith('/api/')) {
      outside.push(url.pathname);
    }
  });
  await page.goto(`${kaihuURL}enterprise`);
  await expect(page.getByRole('heading', { level: 1, name: zh.enterprise.title })).toBeVisible();
  expect(outside, 'requests outside the base path').toEqual([]);

  expect((await request.get(`${kaihuOrigin}/personal`, { headers: { accept: 'text/html' } })).status()).toBe(404);
  const bare = await request.get(`${kaihuOrigin}/kaihu`, { maxRedirects: 0 });
  expect(bare.status()).toBe(308);
  expect(bare.headers()['location']).toBe(kaihuBase);
});

test('agreement texts are read from under the base path', async ({ page }) => {
  await withConfig(page, { styleguide: true });
  await page.goto(`${kaihuURL}styleguide`);
  const text = page.waitForResponse((r) => r.url().startsWith(`${kaihuURL}agreements/`));
  await page.getByRole('button', { name: '《入市协议书》' }).first().click();
  expect((await text).status()).toBe(200);
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: '《入市协议书》' })).toBeVisible();
  await expect(dialog.getByRole('region')).not.toContainText(zh.agreement.loading);
});
