import { test, expect } from './fixtures/test';
import fs from 'node:fs';
import { logFiles } from '../playwright.config';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import { QuizPage } from './fixtures/quiz';
import { freshPhone, smsCodeFor, startAtAccount, uniqueResidentId } from './fixtures/application';
import { PASSWORD, acceptAgreement, fillAccount, uniqueUsername } from './fixtures/wizard';

test('the whole application, from the first page to the reference, is stored by the backend', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  await quiz.answer();
  await quiz.submit();
  await page.getByRole('link', { name: zh.quiz.proceed }).click();

  await expect(page.getByRole('heading', { level: 1, name: zh.consent.title })).toBeVisible();
  await page.getByLabel(zh.consent.agree).check();
  await page.getByRole('button', { name: zh.common.next }).click();

  const phone = freshPhone();
  const idNumber = uniqueResidentId();
  await page.getByLabel(zh.identity.name_label).fill('钱七');
  await page.getByLabel(zh.identity.document_number_label).fill(idNumber);
  await page.getByLabel(zh.identity.phone_label).fill(phone);
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  const code = await smsCodeFor(request, phone);
  await page.getByLabel(zh.identity.code_label).fill(code);
  await page.getByRole('button', { name: zh.common.next }).click();

  await expect(page.getByRole('heading', { level: 1, name: zh.account.title })).toBeVisible();
  const username = uniqueUsername();
  await fillAccount(page, username);
  await page.getByRole('button', { name: zh.common.next }).click();

  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  const masked = `${idNumber.slice(0, 3)}${'*'.repeat(11)}${idNumber.slice(14)}`;
  await expect(page.getByText(masked)).toBeVisible();
  await expect(page.getByText(idNumber)).toHaveCount(0);
  await expect(page.getByText(username)).toBeVisible();
  await expect(page.getByText('bank-statement.png')).toBeVisible();

  await page.getByRole('button', { name: zh.review.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
  const reference = (await page.locator('#application-reference').innerText()).trim();
  expect(reference).not.toBe('');
  await expect(page.getByText(config.fee.account, { exact: false })).toBeVisible();

  const stored = await request.get(`/api/v1/dev/applications/${reference}`);
  expect(stored.ok()).toBe(true);
  const row = await stored.json();
  expect(row).toMatchObject({
    reference,
    status: 'submitted',
    name: '钱七',
    document_type: 'resident_id',
    document_number: idNumber,
    phone,
    username,
    email: 'investor@example.com',
    address: '武汉市武昌区中北路 1 号',
    locale: 'zh-CN',
  });
  expect(row.asset_proofs).toHaveLength(1);
  expect(row.agreements.map((a: { id: string }) => a.id).sort()).toEqual(
    config.agreements.map((a) => a.id).sort(),
  );
  for (const a of row.agreements) {
    expect(a.version).toBe(config.agreements.find((d) => d.id === a.id)!.version);
    expect(Date.parse(a.agreed_at)).toBeGreaterThanOrEqual(Date.parse(a.opened_at));
  }
  expect(JSON.stringify(row)).not.toContain(PASSWORD);

  // The draft is gone; the reference stays for the fee step.
  expect(await page.evaluate(() => sessionStorage.getItem('hbets-kaihu.draft'))).not.toContain(username);
  await page.reload();
  await expect(page.locator('#application-reference')).toHaveText(reference);

  // The backend's log of all this names neither the ID number nor the phone number, and the code only on the
  // development-mode line that shows it, with the number masked.
  const logged = fs
    .readFileSync(logFiles[0], 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const texts = (fields: Record<string, unknown>) =>
    Object.entries(fields).flatMap(([key, value]) => (key !== 'timestamp' && typeof value === 'string' ? [value] : []));
  const naming = (fields: Record<string, unknown>, value: string) =>
    texts(fields).some((text) => text.toUpperCase().includes(value.toUpperCase()));
  expect(logged.filter((fields) => naming(fields, idNumber) || naming(fields, phone))).toEqual([]);
  const withCode = logged.filter((fields) => naming(fields, code));
  expect(withCode.length).toBeGreaterThan(0);
  for (const fields of withCode) {
    expect(fields).toMatchObject({ code, phone: `${phone.slice(0, 3)}****${phone.slice(7)}` });
  }
});

test('each invalid account field gets its message, in the summary and inline', async ({ page, request }) => {
  await startAtAccount(page, request);
  await page.getByLabel(zh.account.username_label, { exact: true }).fill('9lives');
  await page.getByLabel(zh.account.password_label, { exact: true }).fill('short');
  await page.getByLabel(zh.account.confirm_label, { exact: true }).fill('other');
  await page.getByLabel(zh.account.email_label, { exact: true }).fill('investor@qq,com');
  await page.getByRole('button', { name: zh.common.next }).click();

  const summary = page.getByRole('alert').filter({ hasText: zh.error_summary.title });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    zh.errors.username_must_start_with_letter,
    zh.errors.password_too_short,
    zh.errors.password_mismatch,
    zh.errors.id_front_missing,
    zh.errors.id_back_missing,
    zh.errors.asset_proofs_missing,
    zh.errors.email_domain,
    ...config.agreements.map((a) => `请阅读并同意《${a.title['zh-CN']}》`),
  ]);
  await expect(page).toHaveURL(/\/personal\/account$/);
  await summary.getByRole('link', { name: zh.errors.email_domain }).click();
  await expect(page.getByLabel(zh.account.email_label, { exact: true })).toBeFocused();

  // Fixing a field removes its message at once.
  await page.getByLabel(zh.account.username_label, { exact: true }).fill('carbon_li');
  await expect(page.locator('#account-username-error')).toBeHidden();
  // The password may not contain the username.
  await page.getByLabel(zh.account.password_label, { exact: true }).fill('my-carbon_li-pass');
  await expect(page.locator('#account-password-error')).toHaveText(zh.errors.password_contains_username);
  // A common provider typo gets a suggestion that can be taken.
  await page.getByLabel(zh.account.email_label, { exact: true }).fill('investor@qq.con');
  await page.getByRole('button', { name: zh.account.email_use_suggestion }).click();
  await expect(page.getByLabel(zh.account.email_label, { exact: true })).toHaveValue('investor@qq.com');
});

test('an agreement box cannot be ticked before its text was read to the end', async ({ page, request }) => {
  await startAtAccount(page, request);
  const title = config.agreements[0].title['zh-CN'];
  const box = page.locator(`#account-agreement-${config.agreements[0].id}`);
  // Unread: the box keeps the focus (so the error summary can lead to it) but pressing it opens the text.
  await expect(box).toHaveAttribute('aria-disabled', 'true');
  await box.click({ force: true });
  await expect(box).not.toBeChecked();
  const dialog = page.getByRole('dialog', { name: new RegExp(title) });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: zh.agreement.agree, exact: true })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(box).not.toBeChecked();
  await acceptAgreement(page, title);
  await expect(box).not.toHaveAttribute('aria-disabled', 'true');
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect(box).not.toBeChecked();
});

test('values survive a refresh and the way back from the check-answers page; the password is asked again', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  const username = uniqueUsername();
  await fillAccount(page, username);
  await page.reload();
  await expect(page.getByLabel(zh.account.username_label, { exact: true })).toHaveValue(username);
  await expect(page.getByLabel(zh.account.email_label, { exact: true })).toHaveValue('investor@example.com');
  await expect(page.getByText('bank-statement.png')).toBeVisible();
  await expect(page.locator(`#account-agreement-${config.agreements[2].id}`)).toBeChecked();
  // Never stored: the password.
  await expect(page.getByLabel(zh.account.password_label, { exact: true })).toHaveValue('');
  expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(PASSWORD);

  await page.getByLabel(zh.account.password_label, { exact: true }).fill(PASSWORD);
  await page.getByLabel(zh.account.confirm_label, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await page.goBack();
  await expect(page.getByLabel(zh.account.username_label, { exact: true })).toHaveValue(username);
  await expect(page.getByLabel(zh.account.password_label, { exact: true })).toHaveValue(PASSWORD);
  await page.goForward();

  // 修改 goes to the field and comes back here.
  await page.getByRole('link', { name: /修改\s*账户信息/ }).click();
  await expect(page.getByLabel(zh.account.username_label, { exact: true })).toBeFocused();
  await page.getByLabel(zh.account.email_label, { exact: true }).fill('new@example.com');
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByText('new@example.com')).toBeVisible();

  // After a refresh on the check-answers page, 确认提交 asks for the password again, on its field.
  await page.reload();
  await page.getByRole('button', { name: zh.review.submit }).click();
  await expect(page).toHaveURL(/\/personal\/account/);
  await expect(page.locator('#account-password-error')).toHaveText(zh.errors.password_reenter);
  await expect(page.getByLabel(zh.account.password_label, { exact: true })).toBeFocused();
});

test('a double click on 确认提交 stores one application', async ({ page, request }) => {
  await startAtAccount(page, request);
  await fillAccount(page, uniqueUsername());
  await page.getByRole('button', { name: zh.common.next }).click();
  let posts = 0;
  page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/applications') && posts++);
  await page.getByRole('button', { name: zh.review.submit }).dblclick();
  await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
  expect(posts).toBe(1);
});

test.describe('refused submissions', () => {
  test.use({ expectedConsoleErrors: [/status of (409|422)|ERR_FAILED|net::/] });

  test('a field the server refuses (422) is shown on its page and field', async ({ page, request }) => {
    await startAtAccount(page, request);
    const username = uniqueUsername();
    await fillAccount(page, username);
    await page.getByRole('button', { name: zh.common.next }).click();
    // Someone else takes the username between the check and the submission.
    await page.route('**/api/v1/applications', (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({
          code: 'validation_failed',
          message: 'the application breaks rules',
          errors: [{ field: 'account.username', code: 'username_taken', message: 'taken' }],
        }),
      }),
    );
    await page.getByRole('button', { name: zh.review.submit }).click();
    await expect(page).toHaveURL(/\/personal\/account\?return=review#account-username$/);
    const summary = page.getByRole('alert').filter({ hasText: zh.error_summary.title });
    await expect(summary.getByRole('link')).toHaveText([zh.errors.username_taken]);
    await expect(page.locator('#account-username-error')).toHaveText(zh.errors.username_taken);
    await expect(page.getByLabel(zh.account.email_label, { exact: true })).toHaveValue('investor@example.com');
  });

  test('a second application for an ID number under review is refused with a clear message', async ({
    page,
    request,
  }) => {
    const documentNumber = uniqueResidentId();
    await startAtAccount(page, request, { documentNumber });
    await fillAccount(page, uniqueUsername());
    await page.getByRole('button', { name: zh.common.next }).click();
    await page.getByRole('button', { name: zh.review.submit }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();

    await startAtAccount(page, request, { documentNumber });
    await fillAccount(page, uniqueUsername());
    await page.getByRole('button', { name: zh.common.next }).click();
    await page.getByRole('button', { name: zh.review.submit }).click();
    await expect(page.getByRole('alert')).toHaveText(zh.errors.duplicate_application);
    await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  });

  test('a network failure keeps everything and the retry stores one application', async ({ page, request }) => {
    await startAtAccount(page, request);
    await fillAccount(page, uniqueUsername());
    await page.getByRole('button', { name: zh.common.next }).click();
    const keys: string[] = [];
    let fail = true;
    await page.route('**/api/v1/applications', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (fail) {
        fail = false;
        // The application reaches the server but the answer is lost.
        await route.fetch();
        await route.abort('failed');
      } else {
        await route.continue();
      }
    });
    await page.getByRole('button', { name: zh.review.submit }).click();
    await expect(page.getByText(zh.api_error.network)).toBeVisible();
    await page.getByRole('button', { name: zh.review.submit }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});
