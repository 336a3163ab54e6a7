import { test, expect } from './fixtures/test';
import { withConfig } from './fixtures/embedding';
import { expectAccessible, expectNoSideScroll } from './fixtures/checks';
import zh from '../../locales/zh-CN.json';

// The styleguide shows every component in every state. It is off in production (config.json as shipped) and on
// where config.json says `"styleguide": true`. Its screenshots at a phone's width and a desktop's are compared
// with the ones stored beside this file (styleguide.spec.ts-snapshots/), so that a change of style shows up as a
// reviewed difference: after an intended change, `npx playwright test styleguide --update-snapshots` and commit
// the new pictures with it.

test('off as shipped', async ({ page }) => {
  await page.goto('/styleguide');
  await expect(page.getByRole('heading', { level: 1, name: zh.not_found.title })).toBeVisible();
});

for (const [name, width, height] of [
  ['phone', 375, 812],
  ['desktop', 1280, 900],
] as const) {
  test(`looks as stored at ${width} px (${name})`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'one set of pictures: the widths are set here');
    await page.setViewportSize({ width, height });
    await withConfig(page, { styleguide: true });
    await page.goto('/styleguide');
    await expect(page.getByRole('heading', { level: 1, name: zh.styleguide.title })).toBeVisible();
    // Every state is drawn: the last section, the countdown standing still, the focused field.
    await expect(page.getByText(zh.loading)).toBeVisible();
    await expect(page.getByRole('button', { name: '42 秒后可重新发送' }).first()).toBeVisible();
    await expect(page.locator('#styleguide-text-focused')).toBeFocused();
    await page.evaluate(() => document.fonts.ready);
    await expect(page).toHaveScreenshot(`styleguide-${name}.png`, {
      fullPage: true,
      animations: 'disabled',
      caret: 'hide',
      maxDiffPixelRatio: 0.002,
    });
  });
}

test('every component in every state: no axe violation, no sideways scroll on a 320 px phone', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the width is set here');
  await page.setViewportSize({ width: 320, height: 640 });
  await withConfig(page, { styleguide: true });
  await page.goto('/styleguide');
  await expect(page.getByRole('heading', { level: 1, name: zh.styleguide.title })).toBeVisible();
  await expect(page.getByText(zh.loading)).toBeVisible();
  await expectNoSideScroll(page, 'the styleguide');
  await expectAccessible(page, 'the styleguide');
});
