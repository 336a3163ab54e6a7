import { test, expect } from './fixtures/test';
import type { APIRequestContext, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import { DRAFT_KEY, startAtAccount } from './fixtures/application';
import { flatPng, withText } from './fixtures/png';
import { holdRequests } from './fixtures/faults';

/** The image fixtures, made by end2end/fixtures/make-images.py. */
const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', 'images', name);
const t = zh.attachment;

/** A locale text with its `{{ … }}` placeholders filled in. */
function fill(text: string, args: Record<string, string | number>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => String(args[key]));
}

const front = (page: Page) => page.locator('#account-id-front');
const frontField = (page: Page) => page.locator('.attachment-field').filter({ has: front(page) });

/** The upload lists of the draft, as the account page keeps them. */
async function draftUploads(page: Page) {
  return page.evaluate((key) => {
    const account = JSON.parse(sessionStorage.getItem(key) ?? '{}').account ?? {};
    return {
      id_front: (account.id_front ?? []) as { upload_id: string; file_name: string; bytes: number }[],
      asset_proofs: (account.asset_proofs ?? []) as { upload_id: string }[],
    };
  }, DRAFT_KEY);
}

/** The file the backend stored for `uploadId` (development mode shows it). */
async function storedBytes(request: APIRequestContext, uploadId: string) {
  const stored = await request.get(`/api/v1/dev/uploads/${uploadId}`);
  expect(stored.ok()).toBe(true);
  return stored.body();
}

/** Holds every upload request until `release()` is called, so the in-flight state can be looked at. */
const holdUploads = (page: Page) => holdRequests(page, '**/api/v1/uploads');

test('下一步 during an upload says to wait for it, not that the image is missing', async ({ page, request }) => {
  await startAtAccount(page, request);
  const release = await holdUploads(page);
  await front(page).setInputFiles(fixture('good.jpg'));
  const item = frontField(page).locator('.attachment-item');
  await expect(item.locator('.attachment-status')).toHaveText(/^正在上传/);
  await page.getByRole('button', { name: zh.common.next }).click();
  const summary = page.getByRole('alert').filter({ hasText: zh.error_summary.title });
  await expect(summary.getByRole('link', { name: t.still_uploading })).toHaveCount(1);
  await expect(summary.getByRole('link', { name: zh.errors.id_front_missing })).toHaveCount(0);
  await expect(frontField(page).getByText(t.still_uploading)).toBeVisible();
  release();
  await expect(item.locator('.attachment-done')).toHaveText(t.uploaded);
  await expect(summary.getByRole('link', { name: t.still_uploading })).toHaveCount(0);
  await expect(frontField(page).getByText(t.still_uploading)).toHaveCount(0);
});

test('a good photo is previewed, uploaded with progress and listed with its name and size', async ({ page, request }) => {
  await startAtAccount(page, request);
  const release = await holdUploads(page);
  await front(page).setInputFiles(fixture('good.jpg'));
  const field = frontField(page);
  const item = field.locator('.attachment-item');
  await expect(item.locator('.attachment-name')).toHaveText('good.jpg');
  await expect(item.locator('progress')).toBeVisible();
  await expect(item.locator('.attachment-status')).toHaveText(/^正在上传/);
  await expect(item.getByRole('button', { name: t.cancel })).toBeVisible();
  await expect(item.locator('.attachment-preview img')).toHaveAttribute('src', /^blob:/);
  const answer = page.waitForResponse('**/api/v1/uploads');
  release();
  const created = await (await answer).json();
  await expect(item.locator('.attachment-done')).toHaveText(t.uploaded);
  await expect(item.locator('progress')).toHaveCount(0);
  await expect(item.locator('.attachment-size')).toHaveText(/^\d+ KB$/);
  const kb = Math.max(1, Math.round(created.bytes / 1024));
  await expect(item.locator('.attachment-size')).toHaveText(`${kb} KB`);
  const uploads = await draftUploads(page);
  expect(uploads.id_front).toEqual([
    expect.objectContaining({ upload_id: created.upload_id, file_name: 'good.jpg', bytes: created.bytes }),
  ]);

  // After a reload (iOS after the camera) the upload is back, its thumbnail (480 px long edge at most) fetched
  // with the token.
  await page.reload();
  const restored = frontField(page).locator('.attachment-item');
  await expect(restored.locator('.attachment-name')).toHaveText('good.jpg');
  await expect(restored.locator('.attachment-preview img')).toHaveAttribute('src', /^blob:/);
  const scale = Math.min(1, 480 / Math.max(created.width, created.height));
  await expect
    .poll(() =>
      restored
        .locator('.attachment-preview img')
        .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]),
    )
    .toEqual([Math.round(created.width * scale), Math.round(created.height * scale)]);
});

const badFiles: [string, string, Record<string, string | number>][] = [
  ['empty.jpg', t.empty, {}],
  ['truncated.jpg', t.truncated, {}],
  ['truncated-large.jpg', t.truncated, {}],
  ['pdf-renamed.jpg', t.type_pdf, {}],
  ['text-renamed.jpg', t.type_text, {}],
  ['heic-renamed.jpg', t.type_heic, {}],
  ['webp-renamed.jpg', t.type_webp, {}],
  ['polyglot.gif', t.polyglot, {}],
  ['pixel-bomb.png', t.too_many_pixels, { width: 30000, height: 30000, megapixels: 40 }],
  ['too-small.png', t.too_small, { width: 300, height: 200, min: 400 }],
];

test('each bad file gets a message that says what it is and what to do, and nothing is sent', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  let sent = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/uploads')) sent++;
  });
  const error = page.locator('#account-id-front-error');
  for (const [name, text, args] of badFiles) {
    await front(page).setInputFiles(fixture(name));
    await expect(error, name).toHaveText(fill(text, { name, ...args }));
    await expect(front(page)).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(frontField(page).locator('.attachment-item')).toHaveCount(0);
  expect(sent).toBe(0);
  // The tab is alive and the form intact: a good file still goes through and clears the message.
  await front(page).setInputFiles(fixture('good.jpg'));
  await expect(frontField(page).locator('.attachment-done')).toHaveText(t.uploaded);
  await expect(error).toBeHidden();
});

test('an uploaded image can be removed, and a new pick replaces the single ID image', async ({ page, request }) => {
  await startAtAccount(page, request);
  await front(page).setInputFiles(fixture('good.jpg'));
  const field = frontField(page);
  await expect(field.locator('.attachment-done')).toHaveText(t.uploaded);
  await expect(field.locator('label.attachment-button')).toHaveText(t.choose_again);

  await front(page).setInputFiles(fixture('upright.png'));
  await expect(field.locator('.attachment-item')).toHaveCount(1);
  await expect(field.locator('.attachment-name')).toHaveText('upright.png');
  await expect(field.locator('.attachment-done')).toHaveText(t.uploaded);
  await expect.poll(async () => (await draftUploads(page)).id_front.map((u) => u.file_name)).toEqual(['upright.png']);

  await field.getByRole('button', { name: t.remove }).click();
  await expect(field.locator('.attachment-item')).toHaveCount(0);
  await expect.poll(async () => (await draftUploads(page)).id_front).toEqual([]);
  await expect(front(page)).toBeFocused();
  await expect(field.locator('label.attachment-button')).toHaveText(t.choose);
});

test('asset proofs take several images', async ({ page, request }) => {
  await startAtAccount(page, request);
  const proofs = page.locator('#account-asset-proofs');
  await proofs.setInputFiles([fixture('good.jpg'), fixture('upright.png')]);
  const field = page.locator('.attachment-field').filter({ has: proofs });
  await expect(field.locator('.attachment-done')).toHaveCount(2);
  await expect.poll(async () => (await draftUploads(page)).asset_proofs.length).toBe(2);
  await expect(field.locator('label.attachment-button')).toHaveText(t.choose_more);
});

test.describe('failures', () => {
  test.use({ expectedConsoleErrors: [/net::ERR_FAILED|Failed to load resource/] });

  test('a failed upload is retried with the same file', async ({ page, request }) => {
    await startAtAccount(page, request);
    let failed = false;
    await page.route('**/api/v1/uploads', async (route) => {
      if (!failed) {
        failed = true;
        await route.abort('failed');
      } else {
        await route.continue();
      }
    });
    await front(page).setInputFiles(fixture('good.jpg'));
    const item = frontField(page).locator('.attachment-item');
    await expect(item.locator('.attachment-failure')).toHaveText(t.network);
    await expect(item).toHaveClass(/attachment-item-failed/);
    await item.getByRole('button', { name: t.retry }).click();
    await expect(item.locator('.attachment-done')).toHaveText(t.uploaded);
    await expect.poll(async () => (await draftUploads(page)).id_front.length).toBe(1);
  });

  test('an upload can be cancelled, then sent again', async ({ page, request }) => {
    await startAtAccount(page, request);
    const release = await holdUploads(page);
    await front(page).setInputFiles(fixture('good.jpg'));
    const item = frontField(page).locator('.attachment-item');
    await item.getByRole('button', { name: t.cancel }).click();
    await expect(item.locator('.attachment-status')).toHaveText(t.cancelled);
    release();
    await page.unroute('**/api/v1/uploads');
    expect((await draftUploads(page)).id_front).toEqual([]);
    await item.getByRole('button', { name: t.retry }).click();
    await expect(item.locator('.attachment-done')).toHaveText(t.uploaded);
    await expect.poll(async () => (await draftUploads(page)).id_front.length).toBe(1);
  });

  test('an expired verification sends the investor back to verify the phone', async ({ page, request }) => {
    await startAtAccount(page, request);
    await page.route('**/api/v1/uploads', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'token_expired', message: 'verification token expired' }),
      }),
    );
    await front(page).setInputFiles(fixture('good.jpg'));
    const failure = frontField(page).locator('.attachment-failure');
    await expect(failure).toContainText(t.token_expired);
    await expect(failure.getByRole('link', { name: t.verify_again })).toHaveAttribute('href', /\/personal\/identity$/);
    // The identity page asks for a new code rather than showing the number as verified.
    await failure.getByRole('link', { name: t.verify_again }).click();
    await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();
    await expect(page.getByLabel(zh.identity.code_label)).toBeEnabled();
    await expect(page.getByRole('button', { name: zh.identity.send_code })).toBeVisible();
  });
});

/** Reads the colour at fractions of an image's width and height, as drawn by the page. */
async function colourAt(page: Page, selector: string, fx: number, fy: number) {
  return page.locator(selector).evaluate(
    (img: HTMLImageElement, [x, y]) => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(img, 0, 0);
      const [r, g, b] = context.getImageData(Math.floor(img.naturalWidth * x), Math.floor(img.naturalHeight * y), 1, 1).data;
      return { r, g, b };
    },
    [fx, fy],
  );
}

test('a sideways phone photo is previewed and sent the right way up', async ({ page, request }) => {
  await startAtAccount(page, request);
  const answer = page.waitForResponse('**/api/v1/uploads');
  // Stored 800 x 600 with EXIF orientation 6: red (the stored top) belongs on the right.
  await front(page).setInputFiles(fixture('sideways-exif6.jpg'));
  const created = await (await answer).json();
  expect([created.width, created.height]).toEqual([600, 800]);
  const img = '.attachment-field:has(#account-id-front) .attachment-preview img';
  await expect(page.locator(img)).toHaveAttribute('src', /^blob:/);
  await expect
    .poll(() => page.locator(img).evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight]))
    .toEqual([600, 800]);
  const right = await colourAt(page, img, 0.9, 0.5);
  const left = await colourAt(page, img, 0.1, 0.5);
  expect(right.r).toBeGreaterThan(200);
  expect(right.b).toBeLessThan(60);
  expect(left.b).toBeGreaterThan(200);
  expect(left.r).toBeLessThan(60);
  // The larger view opens on a click.
  await page.locator('.attachment-field:has(#account-id-front) .attachment-preview').click();
  await expect(page.locator('.attachment-field:has(#account-id-front) .attachment-preview')).toHaveAttribute(
    'aria-expanded',
    'true',
  );
});

test('a large photo is shrunk to the configured long edge before upload, without its EXIF', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  const answer = page.waitForResponse('**/api/v1/uploads');
  // 4000 x 3000 stored sideways (orientation 6), 379 KB: sent upright, its long edge the configured one
  // (1536 x 2048 as shipped).
  await front(page).setInputFiles(fixture('large-photo-exif6.jpg'));
  const created = await (await answer).json();
  const edge = config.images.target_long_edge;
  expect([created.width, created.height]).toEqual([(edge * 3) / 4, edge]);
  await expect(frontField(page).locator('.attachment-done')).toHaveText(t.uploaded);
  // What the backend stored carries no EXIF (no camera make, no orientation, no GPS).
  const bytes = await storedBytes(request, created.upload_id);
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(bytes.includes(Buffer.from('FixtureCam'))).toBe(false);
  expect(bytes.includes(Buffer.from('Exif\0\0'))).toBe(false);
});

test('a phone screenshot of a statement within the limits is sent as it is, a lossless PNG', async ({
  page,
  request,
}) => {
  // An exchange that keeps the long edge of an iPhone screenshot (2532 px; the shipped 2048 shrinks it).
  await page.route('**/config.json', async (route) => {
    const shipped = await (await route.fetch()).json();
    await route.fulfill({ json: { ...shipped, images: { ...shipped.images, target_long_edge: 2560 } } });
  });
  await startAtAccount(page, request);
  const proofs = page.locator('#account-asset-proofs');
  const answer = page.waitForResponse('**/api/v1/uploads');
  // 1170 x 2532, 133 KB: within that long edge and the byte limit, and light (a screenshot, not a photo).
  await proofs.setInputFiles(fixture('screenshot.png'));
  const created = await (await answer).json();
  expect([created.width, created.height]).toEqual([1170, 2532]);
  expect(await storedBytes(request, created.upload_id)).toEqual(fs.readFileSync(fixture('screenshot.png')));
  const field = page.locator('.attachment-field').filter({ has: proofs });
  await expect(field.locator('.attachment-name')).toHaveText('screenshot.png');
  await expect(field.locator('.attachment-size')).toHaveText(`${Math.round(created.bytes / 1024)} KB`);
});

test('a phone screenshot over the configured long edge is shrunk to it', async ({ page, request }) => {
  await startAtAccount(page, request);
  const answer = page.waitForResponse('**/api/v1/uploads');
  await page.locator('#account-asset-proofs').setInputFiles(fixture('screenshot.png'));
  const created = await (await answer).json();
  const edge = config.images.target_long_edge;
  expect(created.height).toBe(edge);
  expect(created.width).toBe(Math.round((1170 * edge) / 2532));
});

test('a light PNG is sent as it is but for its text chunks', async ({
  page,
  request,
}) => {
  // What the app puts into the upload's form, as it sends it.
  await page.addInitScript(() => {
    const sent: Blob[] = [];
    (window as unknown as { sentFiles: Blob[] }).sentFiles = sent;
    const append = FormData.prototype.append;
    FormData.prototype.append = function (this: FormData, ...args: unknown[]) {
      if (args[1] instanceof Blob) sent.push(args[1]);
      return (append as (...a: unknown[]) => void).apply(this, args);
    };
  });
  await startAtAccount(page, request);
  const plain = flatPng(800, 600, [240, 244, 248]);
  const tagged = withText(plain, 'Author', 'Li Tan, Wuhan, +86 139');
  const answer = page.waitForResponse('**/api/v1/uploads');
  await page.locator('#account-asset-proofs').setInputFiles({ name: 'statement.png', mimeType: 'image/png', buffer: tagged });
  const created = await (await answer).json();
  const sent = await page.evaluate(async () => {
    const files = (window as unknown as { sentFiles: Blob[] }).sentFiles;
    return Array.from(new Uint8Array(await files[files.length - 1].arrayBuffer()));
  });
  const sentBytes = Buffer.from(sent);
  expect([created.format, sentBytes.length, sentBytes.includes(Buffer.from('Li Tan'))]).toEqual([
    'png',
    plain.length,
    false,
  ]);
  expect(sentBytes.equals(plain)).toBe(true);
  expect(created.bytes).toBe(plain.length);
  expect((await storedBytes(request, created.upload_id)).equals(plain)).toBe(true);
});

test('typing in other fields goes on while a large photo is prepared, and nothing typed is lost', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  // 4000 x 3000, sideways: decoded, turned, shrunk and encoded while the investor types.
  await front(page).setInputFiles(fixture('large-photo-exif6.jpg'));
  const address = page.getByLabel(zh.account.address_label);
  const email = page.getByLabel(zh.account.email_label);
  await address.pressSequentially('武汉市武昌区中北路 1 号', { delay: 15 });
  await email.pressSequentially('zhao.liu@example.cn', { delay: 15 });
  await expect(frontField(page).locator('.attachment-done')).toHaveText(t.uploaded);
  await expect(address).toHaveValue('武汉市武昌区中北路 1 号');
  await expect(email).toHaveValue('zhao.liu@example.cn');
  const account = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).account, DRAFT_KEY);
  expect(account).toMatchObject({ address: '武汉市武昌区中北路 1 号', email: 'zhao.liu@example.cn' });
  expect(account.id_front).toHaveLength(1);
});

test('the field fits a 375 px wide phone screen', async ({ page, request }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await startAtAccount(page, request);
  await front(page).setInputFiles(fixture('good.jpg'));
  await expect(frontField(page).locator('.attachment-done')).toHaveText(t.uploaded);
  await front(page).setInputFiles(fixture('pdf-renamed.jpg'));
  await expect(page.locator('#account-id-front-error')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = await frontField(page).getByRole('button', { name: t.remove }).boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
});
