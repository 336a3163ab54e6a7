import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { residentId, smsCodeFor, startApplication, freshPhone } from './fixtures/application';
import { storedApplication } from './fixtures/submitted';
import { fillAccount, uniqueUsername } from './fixtures/wizard';

// A phone whose clock is a day off (set by hand, or a wrong time zone taken for the time): the server's clock
// decides ages, expiries and cooldowns, and the page agrees with it; nothing in the page breaks.

const DAY_MS = 86_400_000;

/** The date in China `days` from today by this (correct) computer's clock, as YYYYMMDD, `years` back. */
function chinaDate(days: number, years = 0): string {
  const date = new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

const documentError = (page: Page) => page.locator('#identity-document-number-error');

for (const [offset, label] of [
  [DAY_MS, 'a day ahead'],
  [-DAY_MS, 'a day behind'],
] as const) {
  test(`with the phone's clock ${label}, the age is judged by the server's date`, async ({ page, request }) => {
    await page.clock.install({ time: Date.now() + offset });
    await startApplication(page, request);
    const number = page.getByLabel(zh.identity.document_number_label);
    // 18 tomorrow: too young today, whatever the phone says.
    await number.fill(residentId(chinaDate(1, 18)));
    await number.blur();
    await expect(documentError(page)).toHaveText(zh.errors.id_number_underage);
    // 18 today: old enough, whatever the phone says.
    await number.fill(residentId(chinaDate(0, 18)));
    await expect(documentError(page)).toBeHidden();
  });
}

test("with the phone's clock a day behind, the code's countdown, the verification and the submission work", async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install({ time: Date.now() - DAY_MS });
  await startApplication(page, request);
  const phone = freshPhone();
  await page.getByLabel(zh.identity.name_label).fill('孙八');
  await page.getByLabel(zh.identity.document_number_label).fill(residentId('19880808', '420102', String(Date.now() % 1000).padStart(3, '0')));
  await page.getByLabel(zh.identity.phone_label).fill(phone);
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  const countdown = page.getByRole('button', { name: /秒后可重新发送/ });
  await expect(countdown).toBeVisible();
  const seconds = Number((await countdown.innerText()).match(/\d+/)![0]);
  expect(seconds).toBeGreaterThan(50);
  expect(seconds).toBeLessThanOrEqual(60);
  await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, phone));
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.account.title })).toBeVisible();

  await fillAccount(page, uniqueUsername());
  await page.getByRole('button', { name: zh.common.next }).click();
  await page.getByRole('button', { name: zh.review.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
  const reference = (await page.locator('#application-reference').innerText()).trim();
  // The times recorded with the agreements are the server's, not a day off.
  const stored = await storedApplication(request, reference);
  for (const agreement of stored.agreements) {
    expect(Math.abs(Date.parse(agreement.agreed_at) - Date.now())).toBeLessThan(10 * 60_000);
  }
  await page.getByRole('link', { name: zh.fee.status_link }).last().click();
  await expect(page.locator('#application-status')).toHaveText(zh.status.submitted);
});
