import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { freshPhone, smsCodeFor, startApplication, uniqueResidentId } from './fixtures/application';
import { FAILED_REQUEST_ERRORS, FAILURES, RETRY_AFTER_S, apiMessage, breakCalls, queryOne } from './fixtures/faults';

// 发送验证码 and 下一步 (the code's verification) on a network that fails in every way: the message stands under
// the code, what was typed stays, and once the backend answers again one code is sent and the number verified.
test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

const name = (page: Page) => page.getByLabel(zh.identity.name_label);
const documentNumber = (page: Page) => page.getByLabel(zh.identity.document_number_label);
const phoneInput = (page: Page) => page.getByLabel(zh.identity.phone_label);
const send = (page: Page) => page.getByRole('button', { name: zh.identity.send_code });
const countdown = (page: Page) => page.getByRole('button', { name: /秒后可重新发送/ });
const codesSentTo = (phone: string) => queryOne('SELECT COUNT(*) FROM sms_codes WHERE phone = ?', phone);

async function fillIdentity(page: Page) {
  const typed = { name: '钱七', documentNumber: uniqueResidentId() };
  await name(page).fill(typed.name);
  await documentNumber(page).fill(typed.documentNumber);
  return typed;
}

test('发送验证码: every failure is explained under the code, and pressing again sends one code', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await startApplication(page, request);
  const typed = await fillIdentity(page);
  const sms = await breakCalls(page, '**/api/v1/sms-codes', 'POST');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      const phone = freshPhone();
      await phoneInput(page).fill(phone);
      await sms.failNext(failure.kind, () => send(page).click());
      await expect(page.getByRole('alert').filter({ hasText: apiMessage(failure.kind) })).toBeVisible();
      await expect(name(page)).toHaveValue(typed.name);
      await expect(documentNumber(page)).toHaveValue(typed.documentNumber);
      await expect(phoneInput(page)).toHaveValue(phone);

      sms.heal();
      if (failure.kind === 'rate limited') {
        // The wait the proxy named is counted down before the button works again.
        await expect(countdown(page)).toBeVisible();
        await page.clock.fastForward((RETRY_AFTER_S + 1) * 1000);
      }
      await send(page).click();
      await expect(countdown(page)).toBeVisible();
      if (failure.reachesServer) {
        // The code whose answer was lost was sent all the same: the page says to enter it.
        await expect(page.getByText(zh.errors.sms_cooldown.split('，')[0])).toBeVisible();
      } else {
        await expect(page.getByText(`验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(7)}`)).toBeVisible();
      }
      // Pressing again did not send a second code.
      expect(codesSentTo(phone)).toBe(1);
    });
  }
  // The last code verifies the number.
  const phone = await phoneInput(page).inputValue();
  await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, phone));
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page).toHaveURL(/\/personal\/account$/);
});

test('下一步: every failure of the verification is explained, and the same code goes through once it answers', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await startApplication(page, request);
  const typed = await fillIdentity(page);
  const verify = await breakCalls(page, '**/api/v1/sms-codes/verify', 'POST');
  const next = page.getByRole('button', { name: zh.common.next });
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      const phone = freshPhone();
      await phoneInput(page).fill(phone);
      await send(page).click();
      const code = await smsCodeFor(request, phone);
      await page.getByLabel(zh.identity.code_label).fill(code);
      await verify.failNext(failure.kind, () => next.click());
      await expect(page.locator('#identity-code-error')).toHaveText(apiMessage(failure.kind));
      await expect(name(page)).toHaveValue(typed.name);
      await expect(documentNumber(page)).toHaveValue(typed.documentNumber);
      await expect(phoneInput(page)).toHaveValue(phone);
      await expect(page.getByLabel(zh.identity.code_label)).toHaveValue(code);

      verify.heal();
      await next.click();
      await expect(page).toHaveURL(/\/personal\/account$/);
      // One verification is kept, for this number.
      const verification = await page.evaluate(
        () => JSON.parse(sessionStorage.getItem('hbets-kaihu.draft') ?? '{}').verification,
      );
      expect(verification.phone).toBe(phone);
      await page.getByRole('link', { name: zh.common.back }).click();
      await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();
    });
  }
});
