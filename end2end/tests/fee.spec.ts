import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import { pngFile } from './fixtures/png';
import { storedApplication, submitByApi, track, type Submitted } from './fixtures/submitted';

/** The fee step of a freshly submitted application, remembered by this browser. */
async function openFee(page: Page, submitted: Submitted) {
  await track(page, submitted);
  await page.goto('/personal/fee');
  await expect(page.getByRole('heading', { level: 1, name: zh.fee.title })).toBeVisible();
}

/** The row of a copyable value, by the id of its value. */
const row = (page: Page, id: string) => page.locator('.copy-value').filter({ has: page.locator(`#${id}`) });

const FEE_VALUES: [string, string][] = [
  ['fee-amount', String(config.fee.amount_cny)],
  ['fee-payee', config.fee.payee],
  ['fee-account', config.fee.account],
  ['fee-bank', config.fee.bank],
  ['fee-remark', config.fee.remark],
];

test('each detail of the transfer is copied by its button, which says so', async ({ page, context, request }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFee(page, await submitByApi(request));
  // Step 2 of the four is current.
  await expect(page.locator('.step-indicator [aria-current="step"]')).toHaveText(zh.opening.fee);
  await expect(page.locator('#fee-amount')).toHaveText(`${config.fee.amount_cny} 元`);
  for (const [id, value] of FEE_VALUES) {
    if (id !== 'fee-amount') await expect(page.locator(`#${id}`)).toHaveText(value);
    await row(page, id).getByRole('button', { name: zh.copy.button }).click();
    await expect(row(page, id).getByRole('status')).toHaveText(zh.copy.copied);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
  }
});

test.describe('where the clipboard is refused', () => {
  test.beforeEach(async ({ page }) => {
    // Older in-app browsers: no asynchronous clipboard for the page, and the old copy command fails too.
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
      document.execCommand = () => false;
    });
  });

  test('the value is selected and the investor told how to copy it', async ({ page, request }) => {
    const submitted = await submitByApi(request);
    await openFee(page, submitted);
    await row(page, 'fee-account').getByRole('button', { name: zh.copy.button }).click();
    await expect(row(page, 'fee-account').getByRole('status')).toHaveText(zh.copy.by_hand);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(config.fee.account);

    // The e-mail text shows the ID number masked; selecting it to copy by hand shows and selects it whole.
    const body = page.locator('#receipt-body');
    await expect(body).not.toContainText(submitted.documentNumber);
    await row(page, 'receipt-body').getByRole('button', { name: zh.copy.button }).click();
    await expect(body).toContainText(submitted.documentNumber);
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selected).toContain(`客户姓名：${submitted.name}`);
    expect(selected).toContain(`身份证号码：${submitted.documentNumber}`);
  });
});

test('the receipt e-mail opens with the exact subject and text of the application', async ({ page, request }) => {
  const submitted = await submitByApi(request, '欧阳·娜娜');
  await openFee(page, submitted);
  const href = await page.getByRole('link', { name: zh.fee.mailto }).getAttribute('href');
  const url = new URL(href!);
  expect(url.protocol).toBe('mailto:');
  expect(decodeURIComponent(url.pathname)).toBe(config.receipt_email.to);
  // Encoded for e-mail: spaces are %20, never +; the lines end in CRLF.
  expect(url.search).not.toContain('+');
  const subject = config.receipt_email.subject_template.replace('{name}', submitted.name);
  const body = `客户姓名：${submitted.name}\r\n身份证号码：${submitted.documentNumber}`;
  expect(decodeURIComponent(url.search.match(/subject=([^&]*)/)![1])).toBe(subject);
  expect(decodeURIComponent(url.search.match(/body=([^&]*)/)![1])).toBe(body);
  // The same text, for webmail, with copy buttons.
  await expect(page.locator('#receipt-to')).toHaveText(config.receipt_email.to);
  await expect(page.locator('#receipt-subject')).toHaveText(subject);
  await expect(page.getByText(`付款人姓名须与申请人（${submitted.name}）一致`, { exact: false })).toBeVisible();
});

test('an uploaded receipt moves the application to "receipt received"', async ({ page, request }) => {
  const submitted = await submitByApi(request);
  await openFee(page, submitted);
  await page.locator('#fee-receipt').setInputFiles(pngFile('transfer-receipt.png', 21));
  await expect(page.getByText(zh.fee.receipt_received)).toBeVisible();
  const stored = await storedApplication(request, submitted.reference);
  expect(stored.status).toBe('receipt_received');
  expect(stored.fee_receipt).toBeTruthy();

  await page.getByRole('link', { name: zh.fee.status_link }).last().click();
  await expect(page.locator('#application-status')).toHaveText(zh.status.receipt_received);
});
