import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { startAtAccount } from './fixtures/application';
import { FAILED_REQUEST_ERRORS, FAILURES, apiMessage, breakCalls, queryOne } from './fixtures/faults';
import { storedApplication } from './fixtures/submitted';
import { fillAccount, uniqueUsername } from './fixtures/wizard';

// 确认提交 on a network that fails in every way: the message stands above the button, every answer stays on the
// check-answers page, and once the backend answers one application is stored, whatever reached it before.
test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

const applicationsOf = (documentNumber: string) =>
  queryOne('SELECT COUNT(*) FROM applications WHERE document_number = ?', documentNumber);

async function toReview(page: Page, request: import('@playwright/test').APIRequestContext) {
  const identity = await startAtAccount(page, request);
  const username = uniqueUsername();
  await fillAccount(page, username);
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  return { ...identity, username };
}

test('确认提交: every failure is explained, the answers stay, and the retry stores one application', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const applicant = await toReview(page, request);
  const submit = page.getByRole('button', { name: zh.review.submit });
  const applications = await breakCalls(page, '**/api/v1/applications', 'POST');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await applications.failNext(failure.kind, () => submit.click());
      await expect(page.locator('.review .form-error')).toHaveText(apiMessage(failure.kind));
      await expect(page.getByText(applicant.username)).toBeVisible();
      await expect(page.getByText('investor@example.com')).toBeVisible();
      await expect(page.getByText('bank-statement.png')).toBeVisible();
      await expect(submit).toBeVisible();
    });
  }
  applications.heal();
  applications.reset();
  await submit.click();
  await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
  const reference = (await page.locator('#application-reference').innerText()).trim();
  expect((await storedApplication(request, reference)).username).toBe(applicant.username);
  // The answers lost on the way stored it already; every try carried the same key, so it is stored once.
  expect(applicationsOf(applicant.document_number)).toBe(1);
  expect(applications.requests).toHaveLength(1);
});
