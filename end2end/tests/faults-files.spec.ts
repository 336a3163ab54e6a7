import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import { DRAFT_KEY, startApplication, startAtAccount } from './fixtures/application';
import { FAILED_REQUEST_ERRORS, FAILURES, apiMessage, breakCalls } from './fixtures/faults';
import { QuizPage } from './fixtures/quiz';

// The app's own files (config.json, the quiz questions, the agreement texts) and the quiz's scoring, on a
// network that fails in every way: a readable message with a retry, nothing typed lost, and the retry works.
test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

const draftName = (page: Page) =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}').identity?.name, DRAFT_KEY);

test('config.json: every failure shows the error page, and 重新加载 brings back the page with what was typed', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await startApplication(page, request);
  await page.getByLabel(zh.identity.name_label).fill('钱七');
  const files = await breakCalls(page, '**/config.json', 'GET');
  const alert = page.getByRole('alert');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await files.failNext(failure.kind, () => page.reload().then(() => {}));
      await expect(alert.getByRole('heading', { name: zh.config_error.title })).toBeVisible();
      expect(await draftName(page)).toBe('钱七');
      files.heal();
      await alert.getByRole('button', { name: zh.config_error.retry }).click();
      await expect(page.getByLabel(zh.identity.name_label)).toHaveValue('钱七');
    });
  }
});

test('the quiz questions: every failure offers a retry, which shows the questions', async ({ page }) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const quiz = new QuizPage(page);
  const questions = await breakCalls(page, `**/${config.quiz.questions_url}`, 'GET');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await questions.failNext(failure.kind, () => page.goto('/personal/quiz').then(() => {}));
      const alert = page.getByRole('alert').filter({ hasText: zh.quiz.load_failed });
      await expect(alert).toBeVisible();
      questions.heal();
      await alert.getByRole('button', { name: zh.common.retry }).click();
      await expect(quiz.question(1)).toBeVisible();
    });
  }
});

test('an agreement text: every failure offers a retry inside the dialog, and the agreement can then be accepted', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await startAtAccount(page, request);
  await page.getByLabel(zh.account.email_label, { exact: true }).fill('investor@example.com');
  const doc = config.agreements[0];
  const texts = await breakCalls(page, `**/${doc.url['zh-CN']}`, 'GET');
  const dialog = page.getByRole('dialog', { name: new RegExp(doc.title['zh-CN']) });
  // A text cut short is still text: it is the server's length that would tell, so that way is left out here.
  for (const failure of FAILURES.filter((f) => f.kind !== 'cut answer')) {
    await test.step(failure.kind, async () => {
      // A text read once is kept by the page: each way starts from a fresh page (the draft stays).
      await page.reload();
      await texts.failNext(failure.kind, () =>
        page.getByRole('button', { name: `《${doc.title['zh-CN']}》` }).click(),
      );
      const failed = dialog.getByRole('alert').filter({ hasText: zh.agreement.load_failed });
      await expect(failed).toBeVisible();
      await expect(dialog.getByRole('button', { name: zh.agreement.agree, exact: true })).toBeDisabled();
      texts.heal();
      await failed.getByRole('button', { name: zh.agreement.retry }).click();
      await expect(dialog.locator('.agreement-text p').first()).toBeVisible();
      await dialog.getByRole('button', { name: zh.agreement.close }).click();
      await expect(dialog).toBeHidden();
      await expect(page.getByLabel(zh.account.email_label, { exact: true })).toHaveValue('investor@example.com');
    });
  }
});

test('提交测试: every failure of the scoring is explained, the answers stay, and a retry gives the result', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  await quiz.answer();
  const attempts = await breakCalls(page, '**/api/v1/quiz/attempts', 'POST');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await attempts.failNext(failure.kind, () => quiz.submit());
      await expect(page.locator('.quiz-form').getByRole('alert')).toHaveText(apiMessage(failure.kind));
      // Every answer is still ticked.
      await expect(page.locator('.quiz-options[data-unanswered="true"]')).toHaveCount(0);
    });
  }
  attempts.heal();
  await quiz.submit();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz.result_title })).toBeVisible();
  await expect(page.getByText(zh.quiz.passed)).toBeVisible();
});
