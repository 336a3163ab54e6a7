import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';

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
