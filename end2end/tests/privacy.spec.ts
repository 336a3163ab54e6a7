import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import zh from '../../locales/zh-CN.json';
import { backendLog } from '../playwright.config';
import { freshPhone, smsCodeFor, uniqueResidentId } from './fixtures/application';
import { carriesMetadata, gpsPhoto } from './fixtures/exif';
import { QuizPage } from './fixtures/quiz';
import { verifyPhone } from './fixtures/submitted';
import { PASSWORD, fillAccount, uniqueUsername } from './fixtures/wizard';

// What the browser and the server keep of an application after a whole run through the wizard: no password, no
// SMS code, no full ID number and no image in the browser's storage, the addresses visited or the server's log;
// the ID number masked wherever it is shown after it was typed; the stored images without EXIF or GPS.

/** Signs of image bytes in text: the PNG and JPEG headers, raw or in base64, and data URLs. */
const IMAGE_SIGNS = ['\u0089PNG', 'iVBORw0KGgo', '/9j/', 'JFIF', 'data:image/'];

/** Everything the browser keeps for the site: both storages and the cookies. */
async function browserStorage(page: Page) {
  const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = JSON.stringify(await page.context().cookies());
  return `${storage}\n${cookies}`;
}

const masked = (id: string) => `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(14)}`;

test('after a whole run, the browser, the addresses visited and the server log hold no secret, and images carry no GPS', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const urls: string[] = [];
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  page.on('request', (r) => urls.push(r.url()));

  const quiz = new QuizPage(page);
  await quiz.openFromEntry();
  await quiz.answer();
  await quiz.submit();
  await page.getByRole('link', { name: zh.quiz.proceed }).click();
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

  const username = uniqueUsername();
  await fillAccount(page, username);
  // The ID image is a phone photo carrying where it was taken.
  const answer = page.waitForResponse('**/api/v1/uploads');
  await page.locator('#account-id-front').setInputFiles({ name: 'front.jpg', mimeType: 'image/jpeg', buffer: gpsPhoto() });
  const photo = await (await answer).json();
  await expect(page.locator('.attachment-field').filter({ has: page.locator('#account-id-front') }).locator('.attachment-done')).toBeVisible();
  const secretsBeforeSubmit = await browserStorage(page);
  expect(secretsBeforeSubmit).not.toContain(PASSWORD);
  expect(secretsBeforeSubmit).not.toContain(code);
  await page.getByRole('button', { name: zh.common.next }).click();

  // The check-answers page shows the number masked.
  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();
  await expect(page.getByText(masked(idNumber))).toBeVisible();
  expect(await page.locator('body').innerText()).not.toContain(idNumber);
  await page.getByRole('button', { name: zh.review.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.submitted.title })).toBeVisible();

  // The fee page's e-mail text shows it masked until it is copied; so does every later page.
  await expect(page.locator('#receipt-body')).toContainText(masked(idNumber));
  expect(await page.locator('body').innerText()).not.toContain(idNumber);
  await page.getByRole('link', { name: zh.fee.status_link }).last().click();
  await expect(page.locator('#application-status')).toHaveText(zh.status.submitted);
  expect(await page.locator('body').innerText()).not.toContain(idNumber);

  // What the browser keeps: the reference and a status token, nothing else of the application.
  const kept = await browserStorage(page);
  for (const secret of [PASSWORD, code, idNumber, username, phone, ...IMAGE_SIGNS]) {
    expect(kept, `the browser keeps ${secret}`).not.toContain(secret);
  }
  // The addresses visited and requested. (Checked with one assertion each: the log of the whole run has tens of
  // thousands of lines, and an assertion per line took minutes.)
  const urlSecrets = [PASSWORD, encodeURIComponent(PASSWORD), code, idNumber];
  expect(urls.filter((url) => urlSecrets.some((secret) => url.includes(secret))), 'addresses carrying a secret').toEqual([]);

  // The server's log (development mode prints the SMS code it "sends", on that line only).
  const log = fs.readFileSync(backendLog, 'utf8').split('\n');
  const sentCode = (line: string) => {
    try {
      return /^SMS code \(development mode/.test(JSON.parse(line).message);
    } catch {
      return false;
    }
  };
  const leaking = log.filter(
    (line) =>
      line.includes(PASSWORD) ||
      line.includes(idNumber) ||
      IMAGE_SIGNS.some((sign) => line.includes(sign)) ||
      (line.includes(code) && !sentCode(line)),
  );
  expect(leaking, 'log lines holding the password, the ID number, image bytes or the SMS code').toEqual([]);

  // The photo sent through the app was stored without its EXIF and GPS position.
  const stored = await request.get(`/api/v1/dev/uploads/${photo.upload_id}`);
  expect(carriesMetadata(await stored.body())).toBe(false);
});

test('a GPS-tagged photo posted straight to the API is stored without its metadata', async ({ request }) => {
  const token = await verifyPhone(request, freshPhone());
  const response = await request.post('/api/v1/uploads', {
    headers: { authorization: `Bearer ${token}` },
    multipart: { kind: 'id_front', file: { name: 'front.jpg', mimeType: 'image/jpeg', buffer: gpsPhoto() } },
  });
  expect(response.status()).toBe(201);
  const { upload_id } = await response.json();
  const stored = await (await request.get(`/api/v1/dev/uploads/${upload_id}`)).body();
  expect(stored.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(carriesMetadata(stored)).toBe(false);
});
