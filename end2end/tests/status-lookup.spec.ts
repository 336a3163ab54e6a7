import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { freshPhone, smsCodeFor } from './fixtures/application';
import { codesSentAnHourAgo, submitByApi } from './fixtures/submitted';

/** Fills the lookup form and asks for a code (the application's own code was sent a while ago). */
async function lookUp(page: Page, reference: string, phone: string) {
  codesSentAnHourAgo(phone);
  await page.getByLabel(zh.lookup.reference_label).fill(reference);
  await page.getByLabel(zh.identity.phone_label).fill(phone);
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  await expect(page.getByText(/验证码已发送至/)).toBeVisible();
}

test('on another device the status is found by reference, mobile number and SMS code', async ({
  browser,
  request,
}) => {
  const submitted = await submitByApi(request);
  // A new browser: nothing of the application is kept there.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/personal/status');
  await expect(page.getByRole('heading', { level: 1, name: zh.tracked.missing_title })).toBeVisible();
  await page.getByRole('link', { name: zh.tracked.lookup_link }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.lookup.title })).toBeVisible();

  // Typed as people do: lower case, with a space.
  const typed = `${submitted.reference.slice(0, 6)} ${submitted.reference.slice(6)}`.toLowerCase();
  await lookUp(page, typed, submitted.phone);
  await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, submitted.phone));
  await page.getByRole('button', { name: zh.lookup.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.status.title })).toBeVisible();
  await expect(page.locator('#application-status')).toHaveText(zh.status.submitted);
  await expect(page.getByText(submitted.reference)).toBeVisible();
  await context.close();
});

test.describe('refusals say nothing about other applications', () => {
  // The refusals are answers of the API, which the browser logs.
  test.use({ expectedConsoleErrors: [/Failed to load resource: the server responded with a status of 40[04]/] });

  test('a wrong code is refused on the code', async ({ page, request }) => {
    const submitted = await submitByApi(request);
    await page.goto('/personal/status/lookup');
    await lookUp(page, submitted.reference, submitted.phone);
    const code = await smsCodeFor(request, submitted.phone);
    await page.getByLabel(zh.identity.code_label).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: zh.lookup.submit }).click();
    await expect(page.locator('#lookup-code-error')).toContainText('验证码不正确');
    await expect(page.getByLabel(zh.lookup.reference_label)).toHaveValue(submitted.reference);
  });

  test("someone else's reference, and a reference that does not exist, get the same message", async ({
    page,
    request,
  }) => {
    const someone = await submitByApi(request);
    for (const reference of [someone.reference, 'HB20260101ZZZZZZ']) {
      const mine = freshPhone();
      await page.goto('/personal/status/lookup');
      await lookUp(page, reference, mine);
      await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, mine));
      await page.getByRole('button', { name: zh.lookup.submit }).click();
      await expect(page.locator('#lookup-reference-error')).toHaveText(zh.lookup.not_found);
      await expect(page.getByText(someone.name)).toHaveCount(0);
    }
  });

  test('the status API answers a wrong token exactly as an unknown reference', async ({ request }) => {
    const submitted = await submitByApi(request);
    const wrongToken = await request.get(`/api/v1/applications/${submitted.reference}`, {
      headers: { 'x-status-token': 'st_not-the-token' },
    });
    const unknown = await request.get('/api/v1/applications/HB20260101ZZZZZZ', {
      headers: { 'x-status-token': 'st_not-the-token' },
    });
    expect(wrongToken.status()).toBe(404);
    expect(await wrongToken.json()).toEqual(await unknown.json());
  });
});
