import { test, expect } from './fixtures/test';
import { openEntryPage } from './fixtures/wizard';
import zh from '../../locales/zh-CN.json';
import en from '../../locales/en.json';

test('the investor can switch to English and back, and the choice survives a reload', async ({ page }) => {
  await openEntryPage(page);
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: en.entry.title })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});
