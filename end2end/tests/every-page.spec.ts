import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import en from '../../locales/en.json';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import quiz from '../../public/quiz.json';
import key from '../../crates/backend/quiz-answer-key.json';
import { freshPhone, smsCodeFor, uniqueResidentId } from './fixtures/application';
import { expectAccessible, expectNoChinese, expectNoSideScroll, expectTouchTargets } from './fixtures/checks';
import { pngFile } from './fixtures/png';
import { review, submitByApi, track } from './fixtures/submitted';
import { openEntryPage, PASSWORD, draftUploadCounts, uniqueUsername } from './fixtures/wizard';

// The whole application in English on the narrowest phone (320 px), every page and state on the way — errors
// shown, an agreement dialog open, the SMS countdown, after the submission — checked four ways: no Chinese
// left in the interface, nothing scrolls sideways, every control is a 44 px touch target, and axe finds no
// WCAG 2.2 A/AA violation. The investor's
// own Chinese name, the language button 中文, the bank-transfer details (which the transfer must carry word for
// word, as config.json gives them) and the receipt's e-mail to the exchange's staff are the only Chinese allowed.

const NAME = '钱七';
const answers = key.answers as Record<string, string[]>;

test.use({ viewport: { width: 320, height: 640 } });
// One phone is enough: the desktop project would walk the same 320 px page again.
test.skip(({ isMobile }) => !isMobile, 'the mobile project walks it');

/** Every check, on the page as it is now. */
async function check(page: Page, state: string, allowed: string[] = []) {
  await expectNoSideScroll(page, state);
  await expectTouchTargets(page, state);
  await expectNoChinese(page, state, [NAME, ...allowed]);
  await expectAccessible(page, state);
}

const next = (page: Page) => page.getByRole('button', { name: en.common.next, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

test('the whole application in English on a 320 px phone: no Chinese left, no sideways scroll, touch-sized controls, no axe violation', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await openEntryPage(page);
  await expect(heading(page, zh.entry.title)).toBeVisible();
  await expectNoSideScroll(page, 'entry page in Chinese');
  await expectAccessible(page, 'entry page in Chinese');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(heading(page, en.entry.title)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await check(page, 'entry page');

  await page.getByRole('link', { name: en.entry.start }).first().click();
  await expect(heading(page, en.quiz_notice.title)).toBeVisible();
  await check(page, 'the test notice');
  await page.getByRole('link', { name: en.quiz_notice.start }).click();
  await expect(heading(page, en.quiz.title)).toBeVisible();
  await check(page, 'the test, unanswered');
  await page.getByRole('button', { name: en.quiz.submit }).click();
  await expect(page.getByRole('link', { name: en.quiz.unanswered.replace('{{ number }}', '1'), exact: true })).toBeVisible();
  await check(page, 'the test, submitted unanswered');
  for (const [index, question] of quiz.questions.entries()) {
    const group = page.getByRole('group', { name: new RegExp(`^${en.quiz.question_number.replace('{{ number }}', String(index + 1))}\\b`) });
    for (const option of question.options.filter((o) => answers[question.id].includes(o.id))) {
      await group.getByLabel(option.text.en, { exact: true }).check();
    }
  }
  await page.getByRole('button', { name: en.quiz.submit }).click();
  await expect(page.getByText(en.quiz.passed)).toBeVisible();
  await check(page, 'the test result');
  await page.getByRole('link', { name: en.quiz.proceed }).click();

  await expect(heading(page, en.consent.title)).toBeVisible();
  await next(page).click();
  await expect(page.getByRole('alert').filter({ hasText: en.error_summary.title })).toBeFocused();
  await check(page, 'consent, not given');
  await page.getByLabel(en.consent.agree).check();
  await next(page).click();

  await expect(heading(page, en.identity.title)).toBeVisible();
  await next(page).click();
  await expect(page.getByRole('alert').filter({ hasText: en.error_summary.title })).toBeFocused();
  await check(page, 'identity, every field missing');
  const phone = freshPhone();
  const idNumber = uniqueResidentId();
  await page.getByLabel(en.identity.name_label).fill(NAME);
  await page.getByLabel(en.identity.document_number_label).fill(idNumber);
  await page.getByLabel(en.identity.phone_label).fill(phone);
  await page.getByRole('button', { name: en.identity.send_code }).click();
  await expect(page.getByRole('button', { name: /^Send again in/ })).toBeVisible();
  await check(page, 'identity, the code sent and its countdown', [phone]);
  // Switching the language keeps what was typed.
  await page.getByRole('button', { name: '中文' }).click();
  await expect(heading(page, zh.identity.title)).toBeVisible();
  await expect(page.getByLabel(zh.identity.document_number_label)).toHaveValue(idNumber);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByLabel(en.identity.name_label)).toHaveValue(NAME);
  await page.getByLabel(en.identity.code_label).fill(await smsCodeFor(request, phone));
  await next(page).click();

  await expect(heading(page, en.account.title)).toBeVisible();
  await next(page).click();
  await expect(page.getByRole('alert').filter({ hasText: en.error_summary.title })).toBeFocused();
  await check(page, 'account, every field missing');
  const username = uniqueUsername();
  await page.getByLabel(en.account.username_label, { exact: true }).fill(username);
  await expect(page.getByText(en.account.username_available.replace('{{ name }}', username))).toBeVisible();
  await page.getByLabel(en.account.password_label, { exact: true }).fill(PASSWORD);
  await page.getByLabel(en.account.confirm_label, { exact: true }).fill(PASSWORD);
  await page.locator('#account-id-front').setInputFiles(pngFile('id-front.png', 1));
  await page.locator('#account-id-back').setInputFiles(pngFile('id-back.png', 2));
  await page.locator('#account-asset-proofs').setInputFiles(pngFile('bank-statement.png', 3));
  await expect.poll(() => draftUploadCounts(page)).toEqual([1, 1, 1]);
  await page.getByLabel(en.account.address_label).fill('1 Zhongbei Road, Wuchang District, Wuhan');
  await page.getByLabel(en.account.email_label, { exact: true }).fill('investor@example.com');
  await check(page, 'account, filled and uploaded');
  for (const [index, doc] of config.agreements.entries()) {
    await page.getByRole('button', { name: doc.title.en, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: new RegExp(doc.title.en) });
    const text = dialog.locator('.agreement-text');
    await expect(text).not.toHaveText(en.agreement.loading);
    if (index === 0) await check(page, 'an agreement dialog open, unread');
    await text.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new Event('scroll'));
    });
    await dialog.getByRole('button', { name: en.agreement.agree, exact: true }).click();
    await expect(dialog).toBeHidden();
  }
  await check(page, 'account, every agreement accepted');
  await next(page).click();

  await expect(heading(page, en.review.title)).toBeVisible();
  await check(page, 'check your answers', [phone]);
  await page.getByRole('button', { name: en.review.submit }).click();

  await expect(heading(page, en.submitted.title)).toBeVisible();
  const reference = (await page.locator('#application-reference').innerText()).trim();
  const transfer = [config.fee.payee, config.fee.bank, config.fee.remark];
  const subject = config.receipt_email.subject_template.replace('{name}', NAME);
  // The receipt's e-mail goes to the exchange's staff in their format (domain::config::ReceiptEmailConfig::body).
  const body = ['客户姓名：', '身份证号码：'];
  await check(page, 'submitted: the fee and the receipt', [...transfer, subject, ...body]);
  const stored = await (await request.get(`/api/v1/dev/applications/${reference}`)).json();
  expect(stored.locale).toBe('en');

  await page.getByRole('link', { name: en.fee.status_link }).first().click();
  await expect(heading(page, en.status.title)).toBeVisible();
  await check(page, 'progress: submitted');
  review('return', reference, '--step', 'attachments', '--reason', 'The proof of assets does not show your name');
  await page.getByRole('button', { name: en.status.refresh }).click();
  await expect(page.getByText(en.status.returned, { exact: true }).first()).toBeVisible();
  await check(page, 'progress: returned');
});

test('after the submission in English on a 320 px phone: each status and the client download', async ({
  page,
  request,
}) => {
  const submitted = await submitByApi(request, NAME);
  await track(page, submitted);
  await page.evaluate(() => localStorage.setItem('hbets-kaihu.locale', 'en'));
  await page.goto('/personal/status');
  await expect(heading(page, en.status.title)).toBeVisible();
  const steps: [string, string[], string][] = [
    ['receipt', [], en.status.receipt_received],
    ['fee-received', [], en.status.fee_received],
    ['approve', ['--account', '880012345'], en.status.approved],
  ];
  for (const [command, flags, shown] of steps) {
    review(command, submitted.reference, ...flags);
    await page.getByRole('button', { name: en.status.refresh }).click();
    await expect(page.getByText(shown, { exact: true }).first()).toBeVisible();
    await check(page, `progress: ${shown}`);
  }
  await page.getByRole('link', { name: en.status.client_link }).click();
  await expect(heading(page, en.client.title)).toBeVisible();
  await check(page, 'the client download');
});
