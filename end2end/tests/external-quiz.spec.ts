import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { DRAFT_KEY } from './fixtures/application';

const EXTERNAL_URL = 'https://questionnaire.example.cn/hbets';

// The exchange switches the gate to its external questionnaire in config.json.
test.beforeEach(async ({ page }) => {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = await response.json();
    config.quiz.mode = 'external';
    config.quiz.external_url = EXTERNAL_URL;
    await route.fulfill({ response, json: config });
  });
});

test('external mode links to the questionnaire and records a self-declared pass', async ({ page }) => {
  await page.goto('/personal');
  await page.getByRole('link', { name: zh.quiz_notice.start }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz.external_title })).toBeVisible();
  const link = page.getByRole('link', { name: new RegExp(zh.quiz.external_link) });
  await expect(link).toHaveAttribute('href', EXTERNAL_URL);
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);

  const score = page.getByLabel(zh.quiz.declared_score_label);
  await page.getByRole('button', { name: zh.common.proceed }).click();
  const summary = page.getByRole('alert').filter({ hasText: zh.error_summary.title });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([zh.quiz.declared_score_invalid, zh.quiz.declared_confirm_missing]);

  await score.fill('59');
  await page.getByLabel(zh.quiz.declared_confirm).check();
  await page.getByRole('button', { name: zh.common.proceed }).click();
  await expect(summary.getByRole('link')).toHaveText(['得分未达到 60 分，请重新参加测试，通过后再申请开户']);

  await score.fill('86');
  await page.getByRole('button', { name: zh.common.proceed }).click();
  await expect(page).toHaveURL(/\/personal\/consent$/);
  const draft = JSON.parse((await page.evaluate((k) => sessionStorage.getItem(k), DRAFT_KEY)) ?? '{}');
  expect(draft.quiz_pass).toEqual({ mode: 'self_declared', attempt_id: null, score: 86 });
});
