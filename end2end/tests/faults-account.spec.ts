import { test, expect } from './fixtures/test';
import type { Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { DRAFT_KEY, startAtAccount } from './fixtures/application';
import {
  FAILED_REQUEST_ERRORS,
  FAILURES,
  UPLOAD_STALL_MS,
  breakCalls,
  fill,
  queryOne,
  uploadMessage,
} from './fixtures/faults';
import { pngFile } from './fixtures/png';
import { uniqueUsername } from './fixtures/wizard';

// The account page's calls on a network that fails in every way: the username check, the uploads and the
// thumbnails of uploads restored after a reload.
test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

const username = (page: Page) => page.getByLabel(zh.account.username_label, { exact: true });
const email = (page: Page) => page.getByLabel(zh.account.email_label, { exact: true });
const address = (page: Page) => page.getByLabel(zh.account.address_label);
const front = (page: Page) => page.locator('#account-id-front');
const frontField = (page: Page) => page.locator('.attachment-field').filter({ has: front(page) });

/** Types the answers that must survive every failure. */
async function typeAnswers(page: Page) {
  await address(page).fill('武汉市武昌区中北路 1 号');
  await email(page).fill('investor@example.com');
}

async function expectAnswersKept(page: Page) {
  await expect(address(page)).toHaveValue('武汉市武昌区中北路 1 号');
  await expect(email(page)).toHaveValue('investor@example.com');
}

/** The uploads the backend stored for the number. */
const uploadsOf = (phone: string) => queryOne('SELECT COUNT(*) FROM uploads WHERE phone = ?', phone);

test('the username check: every failure says the check waits for the submission, and a new name is checked again', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await startAtAccount(page, request);
  await typeAnswers(page);
  const check = await breakCalls(page, /\/api\/v1\/usernames\//, 'GET');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      const name = uniqueUsername();
      await check.failNext(failure.kind, () => username(page).fill(name));
      await expect(page.getByText(zh.account.username_check_failed)).toBeVisible();
      await expect(username(page)).toHaveValue(name);
      await expectAnswersKept(page);
    });
  }
  check.heal();
  const name = uniqueUsername();
  await username(page).fill(name);
  await expect(page.getByText(fill(zh.account.username_available, { name }))).toBeVisible();
});

test('an upload: every failure is explained on its row, and 重新上传 stores the image once', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  const { phone } = await startAtAccount(page, request);
  await typeAnswers(page);
  const uploads = await breakCalls(page, '**/api/v1/uploads', 'POST');
  const item = frontField(page).locator('.attachment-item');
  for (const [index, failure] of FAILURES.entries()) {
    await test.step(failure.kind, async () => {
      const file = pngFile(`front-${index}.png`, 40 + index);
      const before = uploadsOf(phone) as number;
      const kept = await draftFront(page);
      await uploads.failNext(failure.kind, () => front(page).setInputFiles(file), UPLOAD_STALL_MS + 1000);
      // The size sent: a shrunk copy's (the row reads "已缩小：328 KB → 25 KB" then).
      const size = (await item.locator('.attachment-size').innerText()).split('→').pop()!.trim();
      await expect(item.locator('.attachment-failure')).toHaveText(uploadMessage(failure.kind, file.name, size));
      await expectAnswersKept(page);
      expect(await draftFront(page)).toEqual(kept);

      uploads.heal();
      await item.getByRole('button', { name: zh.attachment.retry }).click();
      await expect(item.locator('.attachment-done')).toHaveText(zh.attachment.uploaded);
      await expect.poll(async () => (await draftFront(page)).map((u) => u.file_name)).toEqual([file.name]);
      // One image stored, whether or not the first try reached the backend.
      expect(uploadsOf(phone)).toBe(before + 1);
    });
  }
});

async function draftFront(page: Page) {
  return page.evaluate((key) => {
    const account = JSON.parse(sessionStorage.getItem(key) ?? '{}').account ?? {};
    return (account.id_front ?? []) as { upload_id: string; file_name: string }[];
  }, DRAFT_KEY);
}

test('the thumbnail of an upload restored after a reload: every failure says the image is stored all the same', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await page.clock.install();
  await startAtAccount(page, request);
  await front(page).setInputFiles(pngFile('front.png', 51));
  await expect(frontField(page).locator('.attachment-done')).toHaveText(zh.attachment.uploaded);
  await typeAnswers(page);
  const thumbnails = await breakCalls(page, /\/api\/v1\/uploads\/[^/]+\/thumbnail$/, 'GET');
  for (const failure of FAILURES) {
    await test.step(failure.kind, async () => {
      await thumbnails.failNext(failure.kind, () => page.reload().then(() => {}));
      const row = frontField(page).locator('.attachment-item');
      await expect(row.locator('.attachment-status')).toHaveText(zh.attachment.thumbnail_failed);
      await expect(row.locator('.attachment-done')).toHaveText(zh.attachment.uploaded);
      await expectAnswersKept(page);
    });
  }
  thumbnails.heal();
  await page.reload();
  await expect(frontField(page).locator('.attachment-preview img')).toHaveAttribute('src', /^blob:/);
  await expect(frontField(page).locator('.attachment-item .attachment-status')).toBeHidden();
});

test('a very slow upload with the page left open goes on as long as bytes move, and ends uploaded once', async ({
  page,
  request,
}, testInfo) => {
  // Real time, not a page clock: about 40 s at a real mobile rate. The page's behaviour does not depend on the
  // viewport, so the desktop project runs it alone.
  test.skip(testInfo.project.name !== 'desktop', 'one project is enough for a 40 s wait');
  test.setTimeout(120_000);
  const { phone } = await startAtAccount(page, request);
  await typeAnswers(page);
  // A mobile link at 4 KB/s upstream: the shrunk image (about 150 KB) takes longer to send than the 30 s any
  // single request is given, and the browser reports progress once per chunk it hands on.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 4096,
  });
  await front(page).setInputFiles(pngFile('slow-front.png', 61, 2000, 1500));
  const item = frontField(page).locator('.attachment-item');
  const bar = item.getByRole('progressbar');
  await expect(bar).toBeVisible();
  const started = Date.now();
  const values = new Set<string>();
  // What a screen reader hears, politely: the stage, not each step of the bar.
  const announced = frontField(page).getByRole('status');
  const announcements = new Set<string>();
  const settled = item.locator('.attachment-done, .attachment-failure:visible');
  while ((await settled.count()) === 0 && Date.now() - started < 100_000) {
    values.add((await bar.getAttribute('value', { timeout: 1000 }).catch(() => null)) ?? 'gone');
    announcements.add(await announced.innerText());
    // Meanwhile the investor goes on typing.
    await email(page).fill(`investor${values.size}@example.com`);
    await page.waitForTimeout(1000);
  }
  const seconds = (Date.now() - started) / 1000;
  await expect(item.locator('.attachment-done')).toHaveText(zh.attachment.uploaded);
  expect(seconds).toBeGreaterThan(UPLOAD_STALL_MS / 1000);
  // The bar moved on the way.
  expect([...values].filter((v) => Number(v) > 0 && Number(v) < 100).length).toBeGreaterThan(0);
  const label = zh.account.id_front_label;
  expect([...announcements]).toContain(`${label}：${zh.attachment.uploading_unknown}`);
  expect([...announcements].filter((text) => /\d/.test(text))).toEqual([]);
  await expect(announced).toHaveText(`${label}：${zh.attachment.uploaded}`);
  await email(page).fill('investor@example.com');
  await expectAnswersKept(page);
  expect(uploadsOf(phone)).toBe(1);
  expect((await draftFront(page)).map((u) => u.file_name)).toEqual(['slow-front.png']);
});
