import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { freshPhone, residentId, smsCodeFor, startApplication } from './fixtures/application';

const next = (page: import('@playwright/test').Page) => page.getByRole('button', { name: zh.common.next });

test('identity page: fill in, get the SMS code, verify it and go on', async ({ page, request }) => {
  await startApplication(page, request);
  await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();
  await expect(page.getByText('第 2 步，共 4 步')).toBeVisible();
  const phone = freshPhone();
  await page.getByLabel(zh.identity.name_label).fill('张三');
  await expect(page.getByLabel(zh.identity.document_type_label)).toHaveValue('resident_id');
  await page.getByLabel(zh.identity.document_number_label).fill(residentId().toLowerCase());
  await page.getByLabel(zh.identity.phone_label).fill(`+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`);
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  await expect(page.getByRole('button', { name: /秒后可重新发送/ })).toBeVisible();
  await expect(page.getByText(`验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(7)}`)).toBeVisible();

  const code = await smsCodeFor(request, phone);
  const codeInput = page.getByLabel(zh.identity.code_label);
  await expect(codeInput).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(codeInput).toHaveAttribute('inputmode', 'numeric');
  await codeInput.fill(code);
  await next(page).click();
  await expect(page).toHaveURL(/\/personal\/account$/);
});

test('each invalid field gets its own message inline and in the summary', async ({ page, request }) => {
  await startApplication(page, request);
  await page.getByLabel(zh.identity.name_label).fill('张3');
  const id = residentId();
  const wrongCheck = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
  await page.getByLabel(zh.identity.document_number_label).fill(wrongCheck);
  await page.getByLabel(zh.identity.phone_label).fill('12345678901');
  await next(page).click();

  const summary = page.getByRole('alert').filter({ hasText: zh.error_summary.title });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    zh.errors.name_digits,
    zh.errors.id_number_checksum,
    zh.errors.phone_format,
    zh.errors.sms_code_empty,
  ]);
  await expect(page.locator('#identity-name-error')).toHaveText(zh.errors.name_digits);
  await expect(page.getByLabel(zh.identity.name_label)).toHaveAttribute('aria-invalid', 'true');
  await summary.getByRole('link', { name: zh.errors.phone_format }).click();
  await expect(page.getByLabel(zh.identity.phone_label)).toBeFocused();

  // Under 18, and a date that does not exist.
  const docNumber = page.getByLabel(zh.identity.document_number_label);
  const thisYear = new Date().getFullYear();
  await docNumber.fill(residentId(`${thisYear - 10}0101`));
  await expect(page.locator('#identity-document-number-error')).toHaveText(zh.errors.id_number_underage);
  await docNumber.fill(residentId('19990230'));
  await expect(page.locator('#identity-document-number-error')).toHaveText(zh.errors.id_number_birth_date);
  // A Hong Kong/Macau permit number is fine once that type is chosen.
  await page.getByLabel(zh.identity.document_type_label).selectOption('hk_macau_permit');
  await docNumber.fill('H12345678');
  await expect(page.locator('#identity-document-number-error')).toBeHidden();
});

test('发送验证码 checks the number first and sends nothing for a bad one', async ({ page, request }) => {
  await startApplication(page, request);
  let sent = 0;
  page.on('request', (r) => r.url().endsWith('/api/v1/sms-codes') && sent++);
  await page.getByLabel(zh.identity.phone_label).fill('1381234');
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  await expect(page.locator('#identity-phone-error')).toHaveText(zh.errors.phone_format);
  await expect(page.getByLabel(zh.identity.phone_label)).toBeFocused();
  expect(sent).toBe(0);
});

test('a double click sends one code, and the countdown survives a refresh', async ({ page, request }) => {
  await startApplication(page, request);
  let sent = 0;
  page.on('request', (r) => r.url().endsWith('/api/v1/sms-codes') && sent++);
  await page.getByLabel(zh.identity.phone_label).fill(freshPhone());
  await page.getByRole('button', { name: zh.identity.send_code }).dblclick();
  const countdown = page.getByRole('button', { name: /秒后可重新发送/ });
  await expect(countdown).toBeVisible();
  expect(sent).toBe(1);

  await page.reload();
  await expect(page.getByRole('button', { name: /秒后可重新发送/ })).toBeVisible();
  const seconds = Number((await page.getByRole('button', { name: /秒后可重新发送/ }).innerText()).match(/\d+/)![0]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(60);
  // Pressing the countdown (aria-disabled, so forced) sends nothing.
  await page.getByRole('button', { name: /秒后可重新发送/ }).click({ force: true });
  expect(sent).toBe(1);
});

test('the code sent, and the end of the wait, are announced politely; the seconds are not', async ({
  page,
  request,
}) => {
  await page.clock.install();
  await startApplication(page, request);
  const phone = freshPhone();
  await page.getByLabel(zh.identity.phone_label).fill(phone);
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const status = page.getByRole('status').filter({ hasText: masked });
  const sent = zh.identity.code_sent.replace('{{ phone }}', masked);
  await expect(status).toHaveText(sent);
  await page.clock.fastForward(30_000);
  await expect(page.getByRole('button', { name: /秒后可重新发送/ })).toBeVisible();
  await expect(status).toHaveText(sent);
  await page.clock.fastForward(31_000);
  await expect(page.getByRole('button', { name: zh.identity.send_code })).toBeVisible();
  await expect(status).toHaveText(zh.identity.code_sent_resend.replace('{{ phone }}', masked));
});

test.describe('refused requests', () => {
  // The browser logs every 4xx/5xx answer as a console error; these tests provoke them on purpose.
  test.use({ expectedConsoleErrors: [/status of (400|503)/] });

  test('a wrong code says how many tries are left; the right one goes through', async ({ page, request }) => {
    await startApplication(page, request);
    const phone = freshPhone();
    await page.getByLabel(zh.identity.name_label).fill('李四');
    await page.getByLabel(zh.identity.document_number_label).fill(residentId('19850611'));
    await page.getByLabel(zh.identity.phone_label).fill(phone);
    await page.getByRole('button', { name: zh.identity.send_code }).click();
    const code = await smsCodeFor(request, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel(zh.identity.code_label).fill(wrong);
    await next(page).click();
    await expect(page.locator('#identity-code-error')).toHaveText('验证码不正确，还可以再试 4 次');
    await page.getByLabel(zh.identity.code_label).fill(code);
    await next(page).click();
    await expect(page).toHaveURL(/\/personal\/account$/);
  });

  test('a failed send shows the error and starts no countdown', async ({ page, request }) => {
    await startApplication(page, request);
    await page.route('**/api/v1/sms-codes', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"code":"unavailable","message":"down"}' }),
    );
    await page.getByLabel(zh.identity.phone_label).fill(freshPhone());
    await page.getByRole('button', { name: zh.identity.send_code }).click();
    await expect(page.getByText('服务器暂时无法处理请求（503），您填写的内容已保留。请稍后重试。')).toBeVisible();
    await expect(page.getByRole('button', { name: zh.identity.send_code })).toBeVisible();
  });
});

test('typed values survive a refresh; the SMS code is not kept', async ({ page, request }) => {
  await startApplication(page, request);
  await page.getByLabel(zh.identity.name_label).fill('王五');
  await page.getByLabel(zh.identity.document_type_label).selectOption('taiwan_permit');
  await page.getByLabel(zh.identity.document_number_label).fill('12345678');
  await page.getByLabel(zh.identity.phone_label).fill('13812345678');
  await page.getByLabel(zh.identity.code_label).fill('987650');
  await page.reload();
  await expect(page.getByLabel(zh.identity.name_label)).toHaveValue('王五');
  await expect(page.getByLabel(zh.identity.document_type_label)).toHaveValue('taiwan_permit');
  await expect(page.getByLabel(zh.identity.document_number_label)).toHaveValue('12345678');
  await expect(page.getByLabel(zh.identity.phone_label)).toHaveValue('13812345678');
  await expect(page.getByLabel(zh.identity.code_label)).toHaveValue('');
  const stored = await page.evaluate(() => sessionStorage.getItem('hbets-kaihu.draft'));
  expect(stored).not.toContain('987650');
});

test('the identity page needs the sensitive-data consent first', async ({ page, request }) => {
  await startApplication(page, request, { consent: false });
  await expect(page).toHaveURL(/\/personal\/consent$/);
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.locator('#consent-agree-error')).toHaveText(zh.consent.missing);
  await page.getByLabel(zh.consent.agree).check();
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();
});
