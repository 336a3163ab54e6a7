import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import { smsCodeFor } from './fixtures/application';
import { pngFile } from './fixtures/png';
import { PASSWORD, codesSentAnHourAgo, review, storedApplication, submitByApi, track } from './fixtures/submitted';

const current = (page: Page) => page.locator('.step-indicator [aria-current="step"]');
const status = (page: Page) => page.locator('#application-status');

test('each status as the investor sees it, as the exchange moves the application on', async ({ page, request }) => {
  const submitted = await submitByApi(request);
  await track(page, submitted);
  await page.goto('/personal/status');
  await expect(page.getByRole('heading', { level: 1, name: zh.status.title })).toBeVisible();
  await expect(page.getByText(submitted.reference)).toBeVisible();
  await expect(status(page)).toHaveText(zh.status.submitted);
  await expect(current(page)).toHaveText(zh.opening.fee);
  await expect(page.getByRole('link', { name: zh.status.fee_link })).toHaveAttribute('href', /\/personal\/fee$/);

  review('receipt', submitted.reference);
  await page.getByRole('button', { name: zh.status.refresh }).click();
  await expect(status(page)).toHaveText(zh.status.receipt_received);
  await expect(page.getByText(zh.status.receipt_next)).toBeVisible();

  review('fee-received', submitted.reference);
  await page.reload();
  await expect(status(page)).toHaveText(zh.status.fee_received);
  await expect(current(page)).toHaveText(zh.opening.account);

  review('approve', submitted.reference, '--account', '880012345');
  await page.reload();
  await expect(status(page)).toHaveText(zh.status.approved);
  await expect(current(page)).toHaveText(zh.opening.client);
  await expect(page.locator('#trading-account')).toHaveText('880012345');
  await expect(page.getByText(zh.status.approved_next)).toBeVisible();
  // Every status it went through, newest first.
  await expect(page.locator('.status-history-name')).toHaveText([
    zh.status.approved,
    zh.status.fee_received,
    zh.status.receipt_received,
    zh.status.submitted,
  ]);

  await page.getByRole('link', { name: zh.status.client_link }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.client.title })).toBeVisible();
  const download = page.getByRole('link', { name: new RegExp(zh.client.download) });
  await expect(download).toHaveAttribute('href', config.client_download_url);
  await expect(download).toHaveAttribute('rel', /noopener/);
  // The help line is dialled by a tap, here and in the footer of every page.
  for (const link of await page.locator(`a[href="tel:${config.help_line}"]`).all()) {
    await expect(link).toHaveText(config.help_line);
  }
  await expect(page.locator(`footer a[href="tel:${config.help_line}"]`)).toBeVisible();
});

test('the exchange e-mails and texts the investor at each change', async ({ request }) => {
  const submitted = await submitByApi(request);
  review('return', submitted.reference, '--step', 'attachments', '--reason', '资产证明上看不到姓名');
  const messages = await (await request.get(`/api/v1/dev/outbox/${submitted.reference}`)).json();
  const returned = messages.filter((m: { status: string }) => m.status === 'returned');
  expect(returned.map((m: { channel: string }) => m.channel).sort()).toEqual(['email', 'sms']);
  for (const message of returned) expect(message.body).toContain('资产证明上看不到姓名');
});

test('a returned application is corrected at the step named and sent again under its reference', async ({
  page,
  request,
}) => {
  const submitted = await submitByApi(request);
  const before = await storedApplication(request, submitted.reference);
  review('return', submitted.reference, '--step', 'attachments', '--reason', '资产证明上看不到姓名');
  await track(page, submitted);
  await page.goto('/personal/status');
  await expect(status(page)).toHaveText(zh.status.returned);
  await expect(current(page)).toHaveText(zh.opening.apply);
  await expect(page.getByText('退回原因：资产证明上看不到姓名')).toBeVisible();
  await expect(page.getByText(`需要修改：${zh.status.step_attachments}`)).toBeVisible();

  codesSentAnHourAgo(submitted.phone);
  await page.getByRole('button', { name: zh.status.fix }).click();
  // The phone is verified again first; the answers are those of the application.
  await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();
  await expect(page.getByText(submitted.reference, { exact: false }).first()).toBeVisible();
  await expect(page.getByLabel(zh.identity.name_label)).toHaveValue(submitted.name);
  await expect(page.getByLabel(zh.identity.phone_label)).toHaveValue(submitted.phone);
  await page.getByRole('button', { name: zh.identity.send_code }).click();
  // The number has the code of the first submission: read the new one once it was sent.
  await expect(page.getByText(/验证码已发送至/)).toBeVisible();
  await page.getByLabel(zh.identity.code_label).fill(await smsCodeFor(request, submitted.phone));
  await page.getByRole('button', { name: zh.common.next }).click();

  await expect(page.getByRole('heading', { level: 1, name: zh.account.title })).toBeVisible();
  await expect(page.getByLabel(zh.account.username_label, { exact: true })).toHaveValue(submitted.username);
  await expect(page.getByText('asset_proof.png')).toBeVisible();
  // A clearer proof of assets replaces the one the exchange could not read; the password is typed again.
  await page.getByRole('button', { name: zh.attachment.remove }).last().click();
  await page.locator('#account-asset-proofs').setInputFiles(pngFile('statement-with-name.png', 31));
  const proof = page.getByRole('listitem').filter({ hasText: 'statement-with-name.png' });
  await expect(proof).toContainText(zh.attachment.uploaded);
  await expect(page.getByText('asset_proof.png')).toHaveCount(0);
  await page.getByLabel(zh.account.password_label, { exact: true }).fill(PASSWORD);
  await page.getByLabel(zh.account.confirm_label, { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: zh.common.next }).click();

  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await page.getByRole('button', { name: zh.review.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.status.title })).toBeVisible();
  await expect(status(page)).toHaveText(zh.status.submitted);
  await expect(page.getByText(submitted.reference)).toBeVisible();

  const after = await storedApplication(request, submitted.reference);
  expect(after.status).toBe('submitted');
  expect(after.asset_proofs).toHaveLength(1);
  expect(after.asset_proofs[0]).not.toBe(before.asset_proofs[0]);
  await expect(page.locator('.status-history-name')).toHaveText([
    zh.status.submitted,
    zh.status.returned,
    zh.status.submitted,
  ]);
  // The draft is gone again.
  expect(await page.evaluate(() => sessionStorage.getItem('hbets-kaihu.draft') ?? '')).not.toContain(
    submitted.username,
  );
});
