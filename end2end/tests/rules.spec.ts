import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { DRAFT_KEY, startAtAccount, startApplication } from './fixtures/application';

// One rule, one place: what the page refuses, the backend refuses too, from the same domain function and the
// same configuration value.

test('a password containing the mobile number is refused however the number was typed', async ({ page, request }) => {
  const identity = await startAtAccount(page, request);
  // The investor typed the number with the country code and dashes; the rule compares the digits.
  const typed = `+86 ${identity.phone.slice(0, 3)}-${identity.phone.slice(3, 7)}-${identity.phone.slice(7)}`;
  await page.evaluate(
    ([key, phone]) => {
      const draft = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      draft.identity.phone = phone;
      sessionStorage.setItem(key, JSON.stringify(draft));
    },
    [DRAFT_KEY, typed],
  );
  await page.reload();
  const password = page.getByLabel(zh.account.password_label, { exact: true });
  await password.fill(`carbon ${identity.phone} ledger`);
  await password.blur();
  await expect(page.locator('#account-password-error')).toHaveText(zh.errors.password_contains_phone);
});

test.describe('the pass mark of the configuration', () => {
  test.beforeEach(async ({ page }) => {
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      const config = await response.json();
      config.quiz.mode = 'external';
      config.quiz.external_url = 'https://questionnaire.example.cn/hbets';
      config.quiz.pass_mark = 70;
      await route.fulfill({ response, json: config });
    });
  });

  test('a declared score under a pass mark of 70 is refused on the page', async ({ page, request }) => {
    await startApplication(page, request, { consent: false, path: '/personal/quiz' });
    await page.getByLabel(zh.quiz.declared_score_label).fill('65');
    await page.getByLabel(zh.quiz.declared_confirm).check();
    await page.getByRole('button', { name: zh.common.proceed }).click();
    await expect(page.locator('#declared-score-error')).toHaveText('得分未达到 70 分，请重新参加测试，通过后再申请开户');
    await page.getByLabel(zh.quiz.declared_score_label).fill('70');
    await page.getByRole('button', { name: zh.common.proceed }).click();
    await expect(page).toHaveURL(/\/personal\/consent$/);
  });
});
