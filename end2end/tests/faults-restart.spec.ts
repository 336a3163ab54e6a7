import { test, expect, watchPage } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { startAtAccount } from './fixtures/application';
import { OwnBackend } from './fixtures/backend';
import { FAILED_REQUEST_ERRORS } from './fixtures/faults';
import { pngFile } from './fixtures/png';
import { fillAccount, uniqueUsername } from './fixtures/wizard';


// The exchange restarts its server (a deployment, a crash) while investors are half-way through: their answers,
// uploads and verification survive on the server and in the page, and the next step works once it is back.
test('the backend restarted between two steps: nothing is lost and the application is stored once', async ({
  browser,
  playwright,
}) => {
  test.setTimeout(90_000);
  const own = await OwnBackend.start('restart');
  const context = await browser.newContext({ baseURL: own.url });
  const request = await playwright.request.newContext({ baseURL: own.url });
  try {
    const page = await context.newPage();
    const problems = await watchPage(page, FAILED_REQUEST_ERRORS);
    const identity = await startAtAccount(page, request);
    const username = uniqueUsername();
    await fillAccount(page, username);

    // Down while the investor picks another proof of assets: the row says so and offers 重新上传.
    await own.stop();
    const proofs = page.locator('.attachment-field').filter({ has: page.locator('#account-asset-proofs') });
    await page.locator('#account-asset-proofs').setInputFiles(pngFile('second-statement.png', 81));
    const failed = proofs.locator('.attachment-item-failed');
    await expect(failed.locator('.attachment-failure')).toHaveText(zh.attachment.network);

    // Back up: the retry stores the image with the verification given before the restart.
    await own.start();
    await failed.getByRole('button', { name: zh.attachment.retry }).click();
    await expect(proofs.locator('.attachment-done')).toHaveCount(2);
    await page.getByRole('button', { name: zh.common.next }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();

    // Restarted between the check-answers page and the submission: it goes through as if nothing happened.
    await own.restart();
    await page.getByRole('button', { name: zh.review.submit }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();
    const reference = (await page.locator('#application-reference').innerText()).trim();
    const stored = await (await request.get(`/api/v1/dev/applications/${reference}`)).json();
    expect(stored).toMatchObject({ username, document_number: identity.document_number });
    expect(stored.asset_proofs).toHaveLength(2);

    // Down while the investor opens the status: the page says so, and 重试 shows it once the server is back.
    await own.stop();
    await page.getByRole('link', { name: zh.fee.status_link }).last().click();
    const alert = page.getByRole('alert').filter({ hasText: zh.tracked.load_failed });
    await expect(alert).toContainText(zh.api_error.network);
    await own.start();
    await alert.getByRole('button', { name: zh.common.retry }).click();
    await expect(page.locator('#application-status')).toHaveText(zh.status.submitted);
    await expect(page.getByText(reference)).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    await context.close();
    await request.dispose();
    await own.dispose();
  }
});
