import { test, expect } from './fixtures/test';
import type { Locator, Page } from '@playwright/test';
import { join } from 'node:path';
import { entryToFirstQuestion, firstQuestion, kaihuOrigin, kaihuURL } from './fixtures/embedding';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';

// The app mounted into an element of another page (the demo host site at /demo/mount/ on the server that has
// the app under /kaihu/): it renders into a shadow root, so the two pages' styles do not meet.
const mountPage = `${kaihuOrigin}/demo/mount/`;
const hostile = join(__dirname, '..', 'fixtures', 'hostile.css');

function app(page: Page): Locator {
  return page.locator('[data-hbets-kaihu]');
}

test('the app runs inside the host page, and a deep link under data-base survives a refresh', async ({ page }) => {
  await page.goto(mountPage);
  // The host site's own frame is there: its 快速通道 menu leads to the app.
  const quick = page.getByRole('complementary', { name: '快速通道' });
  await expect(quick.getByRole('link', { name: '网上开户' })).toHaveAttribute('href', '/demo/mount/');
  await expect(quick.getByRole('link', { name: '客户端下载' })).toBeVisible();

  await entryToFirstQuestion(app(page));
  await expect(page).toHaveURL(`${mountPage}personal/quiz`);
  await page.reload();
  await expect(firstQuestion(app(page))).toBeVisible();
  // The host page keeps its own title and header.
  await expect(page.getByRole('heading', { level: 1, name: '网上开户', exact: true }).first()).toBeVisible();
});

test("the app's language, styles and configuration stay in its element", async ({ page }) => {
  await page.goto(mountPage);
  const root = app(page);
  await expect(root.getByRole('heading', { level: 1, name: zh.entry.title, exact: true })).toBeVisible();
  // config.json comes from data-config, on the app's server (the entry page shows before it has come).
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .toContain(`${kaihuURL}config.json`);
  // The app's stylesheet (style/ joined into one) is inside the shadow root; the document has only the host
  // site's.
  const sheets = await page.evaluate(() => ({
    document: [...document.styleSheets].map((s) => new URL(s.href!).pathname),
    app: [...document.querySelector('[data-hbets-kaihu]')!.shadowRoot!.styleSheets].map((s) => s.href ?? ''),
  }));
  expect(sheets.document).toEqual(['/demo/site.css']);
  expect(sheets.app).toHaveLength(1);
  expect(sheets.app[0]).toMatch(new RegExp(`^${kaihuURL}app-[0-9a-f]{12,16}\\.css$`));

  // Switching the app to English leaves the host page's language alone.
  await root.getByRole('button', { name: 'English' }).click();
  await expect(root.getByRole('heading', { level: 1, name: en.entry.title, exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('.hbets-kaihu')).toHaveAttribute('lang', 'en');
});

/** The computed styles that make up the look of the app's elements on each page of the way in. */
async function appLooks(root: Locator) {
  const selectors = [
    '.hbets-kaihu',
    '.layout-header',
    '.layout-title',
    '.language-switch button',
    'main h1',
    '.entry-lead',
    '.entry-choice',
    '.entry-choice h2',
    '.entry-choice .button-primary',
    '.layout-footer',
  ];
  const properties = [
    'font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'text-transform',
    'text-decoration-line', 'color', 'background-color', 'margin-top', 'margin-right', 'margin-bottom',
    'margin-left', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'border-top-width',
    'border-top-style', 'border-top-color', 'border-left-width', 'border-radius', 'box-sizing', 'text-align',
    'text-indent', 'word-spacing',
  ];
  return root.evaluate(
    (host, { selectors, properties }) => {
      const shadow = host.shadowRoot!;
      return selectors.map((selector) => {
        const element = shadow.querySelector(selector);
        if (!element) return `${selector}: missing`;
        const style = getComputedStyle(element);
        return `${selector} { ${properties.map((p) => `${p}: ${style.getPropertyValue(p)}`).join('; ')} }`;
      });
    },
    { selectors, properties },
  );
}

test("a hostile host stylesheet does not change the app's look or stop it working", async ({ page }) => {
  await page.goto(mountPage);
  const root = app(page);
  await expect(root.getByRole('heading', { level: 1, name: zh.entry.title, exact: true })).toBeVisible();
  const clean = await appLooks(root);

  // The host page with global rules on *, html's text, body, p, h1, h2, a, input and button.
  await page.route('**/demo/hostile.css', (route) => route.fulfill({ path: hostile, contentType: 'text/css' }));
  await page.route(mountPage, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      '</head>',
      '<link rel="stylesheet" href="/demo/hostile.css" /></head>',
    );
    await route.fulfill({ response, body });
  });
  await page.reload();
  await expect(root.getByRole('heading', { level: 1, name: zh.entry.title, exact: true })).toBeVisible();
  // The hostile rules do apply to the host page itself…
  await expect(page.locator('.site-main > h1')).toHaveCSS('text-transform', 'uppercase');
  await expect(root).toHaveCSS('padding-top', '20px');
  // …but not to the app.
  expect(await appLooks(root)).toEqual(clean);

  await entryToFirstQuestion(root);
  const option = firstQuestion(root).getByRole('radio').first();
  await option.check();
  await expect(option).toBeChecked();
  await expect(option).toHaveCSS('width', '20px');
  await expect(option).toHaveCSS('margin-left', '0px');
});
