import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { limitsURL } from '../playwright.config';
import { freshPhone, residentId, smsCodeFor, startApplication } from './fixtures/application';

// The backend on limitsURL sends no more than two codes to a number a day, without a cooldown, and takes two
// wrong codes a day (playwright.config.ts): the daily caps of a number, reached as an investor would reach them.
test.use({ baseURL: limitsURL, expectedConsoleErrors: [/status of (400|429)/] });

const send = (page: import('@playwright/test').Page) => page.getByRole('button', { name: zh.identity.send_code });
const next = (page: import('@playwright/test').Page) => page.getByRole('button', { name: zh.common.next });

/** The identity page filled in, as typed: name, ID number, phone. */
async function fillIdentity(page: import('@playwright/test').Page, phone: string) {
  const id = residentId('19870412');
  await page.getByLabel(zh.identity.name_label).fill('孙八');
  await page.getByLabel(zh.identity.document_number_label).fill(id);
  await page.getByLabel(zh.identity.phone_label).fill(phone);
  return id;
}

async function expectKept(page: import('@playwright/test').Page, id: string, phone: string) {
  await expect(page.getByLabel(zh.identity.name_label)).toHaveValue('孙八');
  await expect(page.getByLabel(zh.identity.document_number_label)).toHaveValue(id);
  await expect(page.getByLabel(zh.identity.phone_label)).toHaveValue(phone);
}

test('after the codes of the day, 发送验证码 says when to come back, and nothing typed is lost', async ({
  page,
  request,
}) => {
  await startApplication(page, request);
  const phone = freshPhone();
  const id = await fillIdentity(page, phone);
  for (let sent = 1; sent <= 2; sent++) {
    const answer = page.waitForResponse('**/api/v1/sms-codes');
    await send(page).click();
    expect((await answer).status()).toBe(202);
    await expect(page.getByText(`验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(7)}`)).toBeVisible();
    await expect(send(page)).toBeVisible();
  }
  await send(page).click();
  const capped = zh.errors.sms_daily_limit.replace('{{ wait }}', '24 小时');
  await expect(page.getByText(capped)).toBeVisible();
  // The button says the same, and sends nothing more.
  const waiting = page.getByRole('button', { name: '24 小时后可重新发送' });
  await expect(waiting).toHaveAttribute('aria-disabled', 'true');
  let posted = 0;
  page.on('request', (r) => r.url().endsWith('/api/v1/sms-codes') && posted++);
  await waiting.click({ force: true });
  expect(posted).toBe(0);
  await expectKept(page, id, phone);
  // The second code still verifies the number: the investor goes on with it.
  await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, phone));
  await page.reload();
  await expectKept(page, id, phone);
  await expect(page.getByRole('button', { name: '24 小时后可重新发送' })).toBeVisible();
});

test('after too many wrong codes, the code field says when to try again, and nothing typed is lost', async ({
  page,
  request,
}) => {
  await startApplication(page, request);
  const phone = freshPhone();
  const id = await fillIdentity(page, phone);
  await send(page).click();
  const code = await smsCodeFor(request, phone);
  const wrong = code === '000000' ? '111111' : '000000';
  const codeField = page.getByLabel(zh.identity.code_label);
  const codeError = page.locator('#identity-code-error');
  await codeField.fill(wrong);
  await next(page).click();
  await expect(codeError).toHaveText('验证码不正确，还可以再试 4 次');
  await codeField.fill(wrong.replace(/^./, '9'));
  await next(page).click();
  await expect(codeError).toHaveText('验证码不正确，还可以再试 3 次');
  // Two wrong codes are the day's: the right one is refused too, with when to come back.
  await codeField.fill(code);
  await next(page).click();
  await expect(codeError).toHaveText(zh.errors.sms_verify_daily_limit.replace('{{ wait }}', '24 小时'));
  await expect(page).toHaveURL(/\/personal\/identity/);
  await expectKept(page, id, phone);
  await expect(codeField).toHaveValue(code);
});
