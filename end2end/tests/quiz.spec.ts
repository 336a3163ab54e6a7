import { test, expect } from './fixtures/test';
import { QuizPage } from './fixtures/quiz';
import zh from '../../locales/zh-CN.json';

test('the notice states the rules before the test', async ({ page }) => {
  await page.goto('/personal');
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
  await expect(page.getByText('测试满分 100 分，60 分及格。')).toBeVisible();
  await expect(page.getByText(zh.quiz_notice.p4)).toBeVisible();
});

test('passing the test unlocks the application', async ({ page }) => {
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  await expect(page.getByText('已答 0 / 12 题')).toBeVisible();
  await quiz.answer();
  await expect(page.getByText('已答 12 / 12 题')).toBeVisible();
  await quiz.submit();

  await expect(page.getByRole('heading', { level: 1, name: zh.quiz.result_title })).toBeVisible();
  await expect(page.getByText('您的得分：100 / 100 分（60 分及格）')).toBeVisible();
  await expect(page.getByText(zh.quiz.passed)).toBeVisible();
  await page.getByRole('link', { name: zh.quiz.proceed }).click();
  await expect(page).toHaveURL(/\/personal\/consent$/);
});

test('a failed attempt lists the topics to revisit, and a retake starts afresh', async ({ page }) => {
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  // Questions 7–10 (investment risk) and 1 (carbon market) wrong: 100 - 44 = 56 points, below 60.
  const wrong = [1, 7, 8, 9, 10];
  await quiz.answer({ wrong });
  await quiz.submit();

  const score = 100 - QuizPage.points(wrong);
  await expect(page.getByText(`您的得分：${score} / 100 分（60 分及格）`)).toBeVisible();
  await expect(page.getByText(zh.quiz.failed)).toBeVisible();
  await expect(page.getByText(zh.quiz.revisit)).toBeVisible();
  const topics = page.getByRole('list').filter({ hasText: QuizPage.topicTitle(7) });
  await expect(topics.getByRole('listitem')).toHaveText([QuizPage.topicTitle(1), QuizPage.topicTitle(7)]);
  await expect(page.getByRole('link', { name: zh.quiz.proceed })).toHaveCount(0);

  await page.getByRole('button', { name: zh.quiz.retake }).click();
  await expect(page.getByText('已答 0 / 12 题')).toBeVisible();
  await quiz.answer();
  await quiz.submit();
  await expect(page.getByText(zh.quiz.passed)).toBeVisible();
});

test('pass mark boundary: 59 points fail, 60 pass', async ({ page }) => {
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  // 8 + 8 + 8 + 8 + 9 = 41 points wrong leaves 59; moving one 9-point question for an 8-point one leaves 60.
  await quiz.answer({ wrong: [1, 2, 3, 4, 7] });
  await quiz.submit();
  await expect(page.getByText('您的得分：59 / 100 分（60 分及格）')).toBeVisible();
  await expect(page.getByText(zh.quiz.failed)).toBeVisible();

  await page.getByRole('button', { name: zh.quiz.retake }).click();
  await quiz.answer({ wrong: [1, 2, 3, 4, 5] });
  await quiz.submit();
  await expect(page.getByText('您的得分：60 / 100 分（60 分及格）')).toBeVisible();
  await expect(page.getByText(zh.quiz.passed)).toBeVisible();
});

test('unanswered questions are listed in a summary that links to them', async ({ page }) => {
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  await quiz.answer({ skip: [3, 11] });
  await quiz.submit();

  const summary = page.getByRole('alert').filter({ hasText: zh.error_summary.title });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['请回答第 3 题', '请回答第 11 题']);
  await summary.getByRole('link', { name: '请回答第 11 题' }).click();
  await expect(quiz.question(11).getByRole('radio').first()).toBeFocused();
});

test('answers survive a refresh while the test is being taken', async ({ page }) => {
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  await quiz.answer({ skip: [12] });
  await page.reload();
  await expect(page.getByText('已答 11 / 12 题')).toBeVisible();
  await quiz.answer();
  await quiz.submit();
  await expect(page.getByText(zh.quiz.passed)).toBeVisible();
});

test('a deep link into the application without a pass goes back to the test notice', async ({ page }) => {
  await page.goto('/personal/identity');
  await expect(page).toHaveURL(/\/personal\?gate=required$/);
  await expect(page.getByText(zh.quiz.gate_required)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz_notice.title })).toBeVisible();
});

test.describe('when the API is unreachable', () => {
  test.use({ expectedConsoleErrors: [/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::ERR/] });

  test('scoring keeps the answers and offers another try', async ({ page }) => {
    const quiz = new QuizPage(page);
    await quiz.openFromEntry();
    await quiz.answer();
    await page.route('**/api/v1/quiz/attempts', (route) => route.abort('internetdisconnected'));
    await quiz.submit();
    await expect(page.getByText(zh.api_error.network)).toBeVisible();
    await page.unroute('**/api/v1/quiz/attempts');
    await quiz.submit();
    await expect(page.getByText(zh.quiz.passed)).toBeVisible();
  });
});
