import { test, expect, watchPage } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { DRAFT_KEY, smsCodeFor, startAtAccount } from './fixtures/application';
import { FAILED_REQUEST_ERRORS, queryOne } from './fixtures/faults';
import { QuizPage } from './fixtures/quiz';
import { PASSWORD, codesSentAnHourAgo } from './fixtures/submitted';
import { fillAccount, uniqueUsername } from './fixtures/wizard';

// An investor duplicates the tab (or opens the link again) half-way through, and sends the application from
// both. The first is stored. The second is stopped at each thing the first used up (the username, the phone's
// verification, the quiz attempt), each said where the investor is looking; once those are renewed, it is told
// that the ID number already has an application under review. The backend holds one application.
test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

test('the same draft sent from two tabs: one application, and the second tab says it is already under review', async ({
  context,
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const identity = await startAtAccount(page, request);
  await fillAccount(page, uniqueUsername());
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();

  // The duplicated tab starts with a copy of the draft (a browser copies sessionStorage into a duplicated tab);
  // the password is never stored, so that tab asks for it again.
  const draft = await page.evaluate((key) => sessionStorage.getItem(key), DRAFT_KEY);
  const second = await context.newPage();
  const problems = await watchPage(second, FAILED_REQUEST_ERRORS);
  await second.addInitScript(
    ([key, value]) => {
      if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, value);
    },
    [DRAFT_KEY, draft!],
  );
  await second.goto('/personal/review');
  await expect(second.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await expect(second.getByText(identity.name)).toBeVisible();

  // Sent from the first tab.
  await page.getByRole('button', { name: zh.review.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
  const reference = (await page.locator('#application-reference').innerText()).trim();

  // Then from the second: the password first, as after any reload.
  await second.getByRole('button', { name: zh.review.submit }).click();
  await expect(second.getByRole('heading', { level: 1, name: zh.account.title })).toBeVisible();
  await second.getByLabel(zh.account.password_label, { exact: true }).fill(PASSWORD);
  await second.getByLabel(zh.account.confirm_label, { exact: true }).fill(PASSWORD);
  await second.getByRole('button', { name: zh.common.next }).click();
  // The first application holds the username now: the page says so at the field.
  const username = second.getByLabel(zh.account.username_label, { exact: true });
  await expect(second.getByRole('alert').getByRole('link', { name: zh.errors.username_taken })).toBeVisible();
  const another = uniqueUsername();
  await username.fill(another);
  await expect(second.getByText(`用户名 ${another} 可以使用`)).toBeVisible();
  await second.getByRole('button', { name: zh.common.next }).click();
  await expect(second.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await second.getByRole('button', { name: zh.review.submit }).click();

  // The first submission spent the phone's verification: the second tab asks for it again, and then says the
  // ID number already has an application under review instead of storing a second one.
  const verifyAgain = second.getByRole('alert').getByRole('link', { name: zh.account.verify_again_link });
  await expect(verifyAgain).toBeVisible();
  codesSentAnHourAgo(identity.phone);
  await verifyAgain.click();
  await expect(second.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();
  await second.getByRole('button', { name: zh.identity.send_code }).click();
  await expect(second.getByText(/验证码已发送至/)).toBeVisible();
  await second.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, identity.phone));
  await second.getByRole('button', { name: zh.common.next }).click();
  await expect(second.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await second.getByRole('button', { name: zh.review.submit }).click();
  // The quiz attempt went with the first application too: the test is taken again.
  await expect(second.getByRole('heading', { level: 1, name: zh.quiz.title })).toBeVisible();
  const quiz = new QuizPage(second);
  await quiz.answer();
  await quiz.submit();
  await expect(second.getByText(zh.quiz.passed)).toBeVisible();
  await second.getByRole('link', { name: zh.quiz.proceed }).click();
  // Every answer is still there: 下一步 through the pages leads back to 确认提交.
  for (const title of [zh.consent.title, zh.identity.title, zh.account.title]) {
    await expect(second.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await second.getByRole('button', { name: zh.common.next }).click();
  }
  await expect(second.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await second.getByRole('button', { name: zh.review.submit }).click();
  await expect(second.getByRole('alert').filter({ hasText: zh.errors.duplicate_application })).toBeVisible();
  await expect(second.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();

  expect(queryOne('SELECT COUNT(*) FROM applications WHERE document_number = ?', identity.document_number)).toBe(1);
  expect(queryOne('SELECT reference FROM applications WHERE document_number = ?', identity.document_number)).toBe(
    reference,
  );
  expect(problems).toEqual([]);
});
