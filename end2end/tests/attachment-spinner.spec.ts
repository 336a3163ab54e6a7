import { test, expect } from './fixtures/test';
import path from 'node:path';
import zh from '../../locales/zh-CN.json';
import { startAtAccount } from './fixtures/application';

const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', 'images', name);

test('a spinner turns beside the status text while an image takes a moment to prepare, and goes when it is ready', async ({
  page,
  request,
}) => {
  // Decoding waits until the test lets it go, so that the preparing state can be looked at.
  await page.addInitScript(() => {
    const decode = window.createImageBitmap.bind(window);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    (window as unknown as { releaseDecode: () => void }).releaseDecode = release;
    window.createImageBitmap = (async (...args: Parameters<typeof createImageBitmap>) => {
      await released;
      return decode(...args);
    }) as typeof createImageBitmap;
  });
  await startAtAccount(page, request);
  await page.locator('#account-id-front').setInputFiles(fixture('large-photo-exif6.jpg'));
  const item = page
    .locator('.attachment-field')
    .filter({ has: page.locator('#account-id-front') })
    .locator('.attachment-item');

  await expect(item).toHaveAttribute('aria-busy', 'true');
  await expect(item.locator('.attachment-status')).toHaveText(zh.attachment.preparing);
  const spinner = item.locator('.attachment-status .attachment-spinner');
  await expect(spinner).toBeVisible();
  await expect(spinner).toHaveAttribute('aria-hidden', 'true');
  const style = await spinner.evaluate((el) => {
    const { animationName, animationDelay } = getComputedStyle(el);
    return { animationName, animationDelay };
  });
  // It turns, and only after a short delay, so a quick preparation shows no flash of a spinner.
  expect(style.animationName).toContain('attachment-spin');
  expect(style.animationDelay).toMatch(/^0\.4s/);

  await page.evaluate(() => (window as unknown as { releaseDecode: () => void }).releaseDecode());
  await expect(item.locator('.attachment-done')).toHaveText(zh.attachment.uploaded);
  await expect(page.locator('.attachment-spinner')).toHaveCount(0);
});
