import { test, expect } from './fixtures/test';
import { withConfig } from './fixtures/embedding';
import zh from '../../locales/zh-CN.json';

// A theme is a stylesheet that sets design tokens again, named in config.json and loaded with no rebuild.

test('the shipped look, then the high-contrast theme named in config.json', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  // The app has taken over from the entry page written into index.html, whose header is the same.
  await expect(page.locator('#first-screen')).toHaveCount(0);
  const header = page.locator('.layout-header');
  await expect(header).toHaveCSS('background-color', 'rgb(11, 110, 79)');
  await expect(page.locator('link[data-hbets-kaihu-theme]')).toHaveCount(0);

  await withConfig(page, { theme_stylesheet: 'themes/high-contrast.css' });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  // The app has taken over from the entry page written into index.html, whose header is the same.
  await expect(page.locator('#first-screen')).toHaveCount(0);
  await expect(header).toHaveCSS('background-color', 'rgb(0, 51, 141)');
  await expect(page.locator('.entry-choice').first()).toHaveCSS('border-top-width', '2px');
  await expect(page.locator('.hbets-kaihu')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
});
