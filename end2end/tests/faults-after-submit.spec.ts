import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { smsCodeFor } from './fixtures/application';
import { FAILED_REQUEST_ERRORS, FAILURES, apiMessage, breakCalls, queryOne, uploadMessage } from './fixtures/faults';
import { pngFile } from './fixtures/png';
import {
  PASSWORD,
  TRACKED_KEY,
  codesSentAnHourAgo,
  review,
  storedApplication,
  submitByApi,
  track,
} from './fixtures/submitted';

// The calls after the submission — the status, the lookup on another device, the fee receipt, the stored answers
// of a returned application and its resubmission — on a network that fails in every way.
test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

/** Presses 发送验证码 and waits for the code to be sent: the number had codes before, read only the new one. */
async function sendCode(page: Page) {
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/sms-codes') && r.request().method() === 'POST');
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  expect((await sent).status()).toBe(202);
}

const statusName = (page: Page) => page.locator('#application-status');
const tracked = (page: Page) =>
  page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), TRACKED_KEY);

test('the status: every failure is explained with a retry, and the application stays remembered', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const submitted = await submitByApi(request);
  await track(page, submitted);
  const remembered = await tracked(page);
  const status = await breakCalls(page, /\/api\/v1\/applications\/[^/]+$/, 'GET');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await status.failNext(failure.kind, () => page.goto('/personal/status').then(() => {}));
      const alert = page.getByRole('alert').filter({ hasText: zh.tracked.load_failed });
      await expect(alert).toContainText(apiMessage(failure.kind));
      expect(await tracked(page)).toEqual(remembered);
      status.heal();
      await alert.getByRole('button', { name: zh.common.retry }).click();
      await expect(statusName(page)).toHaveText(zh.status.submitted);
    });
  }
});

test('the lookup on another device: every failure is explained on the code, and the same code then finds it', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const submitted = await submitByApi(request);
  await page.goto('/personal/status/lookup');
  await page.getByLabel(zh.lookup.reference_label).fill(submitted.reference);
  await page.getByLabel(zh.identity.phone_label).fill(submitted.phone);
  codesSentAnHourAgo(submitted.phone);
  await sendCode(page);
  const code = await smsCodeFor(request, submitted.phone);
  await page.getByLabel(zh.identity.code_label).fill(code);
  const lookup = await breakCalls(page, '**/api/v1/applications/lookup', 'POST');
  const submit = page.getByRole('button', { name: zh.lookup.submit });
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await lookup.failNext(failure.kind, () => submit.click());
      await expect(page.locator('#lookup-code-error')).toHaveText(apiMessage(failure.kind));
      await expect(page.getByLabel(zh.lookup.reference_label)).toHaveValue(submitted.reference);
      await expect(page.getByLabel(zh.identity.phone_label)).toHaveValue(submitted.phone);
      await expect(page.getByLabel(zh.identity.code_label)).toHaveValue(code);
    });
  }
  lookup.heal();
  await submit.click();
  await expect(statusName(page)).toHaveText(zh.status.submitted);
});

test('the fee receipt: every failure is explained on its row, and the receipt is stored and announced once', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const submitted = await submitByApi(request);
  await track(page, submitted);
  await page.goto('/personal/fee');
  const receipts = await breakCalls(page, /\/receipt$/, 'POST');
  const field = page.locator('.attachment-field').filter({ has: page.locator('#fee-receipt') });
  const item = field.locator('.attachment-item');
  const file = pngFile('transfer-receipt.png', 71);
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await page.goto('/personal/fee');
      await receipts.failNext(failure.kind, () => page.locator('#fee-receipt').setInputFiles(file), 31_000);
      const size = (await item.locator('.attachment-size').innerText()).split('→').pop()!.trim();
      await expect(item.locator('.attachment-failure')).toHaveText(uploadMessage(failure.kind, file.name, size));
      receipts.heal();
      await item.getByRole('button', { name: zh.attachment.retry }).click();
      await expect(page.getByText(zh.fee.receipt_received)).toBeVisible();
    });
  }
  const stored = await storedApplication(request, submitted.reference);
  expect(stored.status).toBe('receipt_received');
  // The same receipt, sent again after each lost answer, is one stored image and one status change.
  expect(queryOne("SELECT COUNT(*) FROM uploads WHERE phone = ? AND kind = 'fee_receipt'", submitted.phone)).toBe(1);
  const outbox = await (await request.get(`/api/v1/dev/outbox/${submitted.reference}`)).json();
  const announced = outbox.filter((m: { status: string }) => m.status === 'receipt_received');
  expect(announced.map((m: { channel: string }) => m.channel).sort()).toEqual(['email', 'sms']);
});

test('修改 of a returned application: every failure to read its answers is explained, and the retry opens them', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const submitted = await submitByApi(request);
  review('return', submitted.reference, '--step', 'identity', '--reason', '姓名与证件不一致');
  await track(page, submitted);
  await page.goto('/personal/status');
  await expect(statusName(page)).toHaveText(zh.status.returned);
  const answers = await breakCalls(page, /\/answers$/, 'GET');
  const fix = page.getByRole('button', { name: zh.status.fix });
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await answers.failNext(failure.kind, () => fix.click());
      await expect(page.getByRole('alert').filter({ hasText: zh.status.fix_failed })).toContainText(
        apiMessage(failure.kind),
      );
    });
  }
  answers.heal();
  await fix.click();
  await expect(page.getByLabel(zh.identity.name_label)).toHaveValue(submitted.name);
});

test('sending a corrected application again: every failure is explained, and the retry resubmits it once', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const submitted = await submitByApi(request);
  review('return', submitted.reference, '--step', 'account', '--reason', '请更换邮箱');
  await track(page, submitted);
  await page.goto('/personal/status');
  codesSentAnHourAgo(submitted.phone);
  await page.getByRole('button', { name: zh.status.fix }).click();
  await sendCode(page);
  await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, submitted.phone));
  await page.getByRole('button', { name: zh.common.next }).click();
  await page.getByLabel(zh.account.email_label, { exact: true }).fill('new.address@example.com');
  await page.getByLabel(zh.account.password_label, { exact: true }).fill(PASSWORD);
  await page.getByLabel(zh.account.confirm_label, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();

  const resubmit = await breakCalls(page, /\/api\/v1\/applications\/[^/]+$/, 'PUT');
  const submit = page.getByRole('button', { name: zh.review.submit });
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await resubmit.failNext(failure.kind, () => submit.click());
      await expect(page.locator('.review .form-error')).toHaveText(apiMessage(failure.kind));
      await expect(page.getByText('new.address@example.com')).toBeVisible();
    });
  }
  resubmit.heal();
  await submit.click();
  await expect(statusName(page)).toHaveText(zh.status.submitted);
  const stored = await storedApplication(request, submitted.reference);
  expect(stored.email).toBe('new.address@example.com');
  // Sent again once: one more "submitted" after "returned", however many answers were lost.
  await expect(page.locator('.status-history-name')).toHaveText([
    zh.status.submitted,
    zh.status.returned,
    zh.status.submitted,
  ]);
});
