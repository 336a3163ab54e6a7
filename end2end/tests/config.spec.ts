import { test, expect } from './fixtures/test';
import { openEntryPage } from './fixtures/wizard';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';
import config from '../../public/config.json';
import { PARTS } from './fixtures/parts';
import { holdRequests } from './fixtures/faults';

// A missing or malformed config.json shows a readable error page with a retry, never a blank screen.
test.describe('config.json problems', () => {
  test.use({ expectedConsoleErrors: [/status of 404/] });

  test('a missing config shows the error page, and retry recovers once it is back', async ({ page }) => {
    let missing = true;
    await page.route('**/config.json', (route) =>
      missing ? route.fulfill({ status: 404, body: 'not found' }) : route.continue(),
    );
    await page.goto('/');
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { name: zh.config_error.title })).toBeVisible();
    await alert.getByText(zh.config_error.detail_label).click();
    await expect(alert.getByText('config.json: HTTP 404')).toBeVisible();

    missing = false;
    await alert.getByRole('button', { name: zh.config_error.retry }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  });

  test('a malformed config names the problem', async ({ page }) => {
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const config = await response.json();
      delete config.help_line;
      await route.fulfill({ response, json: config });
    });
    await page.goto('/');
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { name: zh.config_error.title })).toBeVisible();
    await alert.getByText(zh.config_error.detail_label).click();
    await expect(alert.getByText(/missing field `help_line`/)).toBeVisible();
  });
});

// A link or address of config.json that would run script or leave the app's site stops it at start: the
// investor never sees a page whose links do something else than they say.
test.describe('config.json addresses', () => {
  test.skip(({ isMobile }) => isMobile, 'the config checks run on desktop');

  const refused: [string, (config: any) => void][] = [
    ['quiz.external_url', (c) => (c.quiz.external_url = 'javascript:alert(document.cookie)')],
    ['client_download_url', (c) => (c.client_download_url = 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==')],
    ['agreements.market_entry.url.zh-CN', (c) => (c.agreements[0].url['zh-CN'] = 'javascript:fetch(1)')],
    ['api_base_url', (c) => (c.api_base_url = '//api.example.com/v1')],
    ['client_download_url', (c) => (c.client_download_url = 'http://www.hbets.cn/client.exe')],
    ['quiz.questions_url', (c) => (c.quiz.questions_url = ' javascript:alert(1)')],
  ];

  test('each refused address names its key on the error page, and nothing of the wizard shows', async ({ page }) => {
    let change: (config: any) => void = () => {};
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const config = await response.json();
      change(config);
      await route.fulfill({ response, json: config });
    });
    for (const [key, edit] of refused) {
      await test.step(key, async () => {
        change = edit;
        await page.goto('/');
        const alert = page.getByRole('alert');
        await expect(alert.getByRole('heading', { name: zh.config_error.title })).toBeVisible();
        await alert.getByText(zh.config_error.detail_label).click();
        await expect(alert.locator('.config-error-detail')).toContainText(`\`${key}\` is refused`);
        await expect(alert.locator('.config-error-detail')).toContainText('config_link_refused');
        await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toHaveCount(0);
      });
    }
    // The shipped addresses, relative paths included, are fine.
    change = () => {};
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  });
});

// The entry page needs nothing of config.json: it works while the file (and its reader, a part of the wasm of its
// own) is on its way; the other pages and the footer's help line wait for it.
test('the entry page works before config.json has come; the next page waits for it', async ({ page }) => {
  const release = await holdRequests(page, '**/config.json');
  await openEntryPage(page);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
  await expect(page.getByRole('link', { name: config.help_line })).toHaveCount(0);

  await page.getByRole('link', { name: en.entry.start }).first().click();
  await expect(page.getByRole('status').filter({ hasText: en.loading })).toBeVisible();
  release();
  await expect(page.getByRole('heading', { level: 1, name: en.quiz_notice.title })).toBeVisible();
  await expect(page.getByRole('link', { name: config.help_line })).toBeVisible();
});

test.describe('the reader of config.json', () => {
  // The browser reports the refused download, and the part's loader logs why.
  test.use({ expectedConsoleErrors: [/Failed to load resource|Failed to fetch|ERR_FAILED|TypeError/] });

  test('when it cannot be downloaded, the error page says so, and retry recovers', async ({ page }) => {
    await page.route(PARTS.config, (route) => route.abort('failed'));
    await page.goto('/personal');
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { name: zh.config_error.title })).toBeVisible();
    await alert.getByText(zh.config_error.detail_label).click();
    await expect(alert.getByText('config.json: the app\'s reader of it could not be fetched')).toBeVisible();

    await page.unroute(PARTS.config);
    await alert.getByRole('button', { name: zh.config_error.retry }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
  });
});
