import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';

test('企业用户 shows how enterprises apply, with the contact from the config', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('listitem').filter({ hasText: zh.entry.enterprise_title }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: zh.enterprise.title })).toBeVisible();
  await expect(page.getByText(zh.enterprise.lead)).toBeVisible();
  const firstParagraph = config.enterprise.info['zh-CN'].split('\n\n')[0];
  await expect(page.getByText(firstParagraph)).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: config.enterprise.contact_phone })).toHaveAttribute(
    'href',
    `tel:${config.enterprise.contact_phone}`,
  );
  await expect(page.getByRole('link', { name: config.enterprise.contact_email })).toHaveAttribute(
    'href',
    `mailto:${config.enterprise.contact_email}`,
  );
  await page.getByRole('link', { name: zh.enterprise.personal_instead }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
});

test('the personal/enterprise choice works with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  const personal = page.getByRole('listitem').filter({ hasText: zh.entry.personal_title }).getByRole('link');
  for (let i = 0; i < 10 && !(await personal.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(personal).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
});
