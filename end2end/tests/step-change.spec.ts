/**
 * 下一步 to the account page (issue 13, "step change ≤ 100 ms"): the page's top is built and painted first, the
 * rest of the long form right after that frame (components/after_first_paint.rs). What the investor relies on
 * still holds: every field comes, and a link to a field of the lower part focuses it.
 */
import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { startAtAccount } from './fixtures/application';
import { fillAccount, uniqueUsername } from './fixtures/wizard';

test('下一步 paints the account page from its top; its lower part follows in the next frames', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  await page.getByRole('link', { name: zh.common.back }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();

  // What the first frame after the click shows: a frame callback asked for before the app's own handlers run.
  await page.evaluate(() => {
    document.addEventListener(
      'click',
      () =>
        requestAnimationFrame(() => {
          (window as any).__firstFrame = {
            heading: document.querySelector('main h1')?.textContent,
            idFront: !!document.getElementById('account-id-front'),
            agreements: !!document.querySelector('main fieldset.agreements'),
          };
        }),
      { capture: true, once: true },
    );
  });
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.account.title })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__firstFrame)).toEqual({
    heading: zh.account.title,
    idFront: true,
    agreements: false,
  });

  // Then the whole form.
  await expect(page.getByRole('group', { name: zh.account.agreements_legend })).toBeVisible();
  await expect(page.getByLabel(zh.account.email_label, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: zh.common.next })).toBeVisible();
});

test('修改 of the agreements on the check-answers page focuses the first agreement, in the lower part', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  await fillAccount(page, uniqueUsername());
  await page.getByRole('button', { name: zh.common.next }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.review.title })).toBeVisible();

  const edit = page.getByRole('link', { name: new RegExp(`${zh.review.edit}\\s*${zh.review.agreements_group}`) });
  const target = new URL((await edit.getAttribute('href'))!, page.url()).hash;
  expect(target).toMatch(/^#account-agreement-/);
  await edit.click();
  await expect(page.getByRole('heading', { level: 1, name: zh.account.title })).toBeVisible();
  await expect(page.locator(target)).toBeFocused();
});

test('back in the browser opens the account page at its top, where its heading takes the focus', async ({
  page,
  request,
}) => {
  await startAtAccount(page, request);
  await expect(page.getByRole('button', { name: zh.common.next })).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 700));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  await page.getByRole('link', { name: zh.common.back }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.identity.title })).toBeVisible();

  await page.goBack();
  const heading = page.getByRole('heading', { level: 1, name: zh.account.title });
  await expect(heading).toBeFocused();
  await expect(page.getByRole('button', { name: zh.common.next })).toBeVisible();
  // The browser's own restoring of the old position would come once the lower part is there, halfway down.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});
