import { test, expect } from './fixtures/test';
import type { Locator, Page } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import config from '../../public/config.json';
import quiz from '../../public/quiz.json';
import key from '../../crates/backend/quiz-answer-key.json';
import { freshPhone, smsCodeFor, uniqueResidentId } from './fixtures/application';
import { pngFile } from './fixtures/png';
import { openEntryPage, PASSWORD, draftUploadCounts, uniqueUsername } from './fixtures/wizard';

// The whole wizard, from the entry page to the reference, with the keyboard alone: Tab and Shift+Tab to move,
// Enter and Space to press, arrows in the test's radio groups, End in an agreement's text. The mouse is never
// used; the test only types and presses keys. (A file is picked in the system's file dialog, which the keyboard
// opens; the test answers that dialog.) Each new page takes the focus on its heading, so Tab starts from its top
// and a screen reader reads it from its title.

const answers = key.answers as Record<string, string[]>;

test.skip(({ isMobile }) => isMobile, 'a keyboard: the desktop project');

const focused = (target: Locator) =>
  target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));

/** Presses Tab (or Shift+Tab) until `target` has the focus. */
async function tabTo(page: Page, target: Locator, { back = false } = {}) {
  for (let presses = 0; presses < 120; presses++) {
    if (await focused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

async function press(page: Page, target: Locator, keys = 'Enter') {
  await tabTo(page, target);
  await page.keyboard.press(keys);
}

async function type(page: Page, target: Locator, text: string) {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

/** Tabs to the file input, opens the file dialog with Space, and picks the file there. */
async function pick(page: Page, input: Locator, file: { name: string; mimeType: string; buffer: Buffer }) {
  await tabTo(page, input);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(file);
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

test('the whole application with the keyboard only', async ({ page, request }) => {
  test.setTimeout(180_000);
  await openEntryPage(page);
  await expect(heading(page, zh.entry.title)).toBeVisible();
  await press(page, page.getByRole('link', { name: zh.entry.start }).first());
  await expect(heading(page, zh.quiz_notice.title)).toBeFocused();
  await press(page, page.getByRole('link', { name: zh.quiz_notice.start }));
  await expect(heading(page, zh.quiz.title)).toBeFocused();

  for (const [index, question] of quiz.questions.entries()) {
    const group = page.getByRole('group', { name: new RegExp(`^第 ${index + 1} 题`) });
    const correct = question.options.filter((o) => answers[question.id].includes(o.id));
    if (question.kind === 'multiple') {
      for (const option of correct) await press(page, group.getByLabel(option.text['zh-CN'], { exact: true }), 'Space');
    } else {
      // Into the group, then the arrows to the right answer (an arrow selects as it moves).
      await tabTo(page, group.getByRole('radio').first());
      const target = group.getByLabel(correct[0].text['zh-CN'], { exact: true });
      for (let moves = 0; moves < 4 && !(await focused(target)); moves++) await page.keyboard.press('ArrowDown');
      // The first option takes the focus unselected: Space selects it.
      if (!(await target.isChecked())) await page.keyboard.press('Space');
      await expect(target).toBeChecked();
    }
  }
  await press(page, page.getByRole('button', { name: zh.quiz.submit }));
  await expect(page.getByText(zh.quiz.passed)).toBeVisible();
  await press(page, page.getByRole('link', { name: zh.quiz.proceed }));

  await expect(heading(page, zh.consent.title)).toBeFocused();
  await press(page, page.getByLabel(zh.consent.agree), 'Space');
  await expect(page.getByLabel(zh.consent.agree)).toBeChecked();
  await press(page, page.getByRole('button', { name: zh.common.next }));

  await expect(heading(page, zh.identity.title)).toBeFocused();
  const phone = freshPhone();
  await type(page, page.getByLabel(zh.identity.name_label), '孙八');
  await type(page, page.getByLabel(zh.identity.document_number_label), uniqueResidentId());
  await type(page, page.getByLabel(zh.identity.phone_label), phone);
  await press(page, page.getByRole('button', { name: zh.identity.send_code }));
  await type(page, page.getByLabel(zh.identity.code_label), await smsCodeFor(request, phone));
  await press(page, page.getByRole('button', { name: zh.common.next }));

  await expect(heading(page, zh.account.title)).toBeFocused();
  const username = uniqueUsername();
  await type(page, page.getByLabel(zh.account.username_label, { exact: true }), username);
  await type(page, page.getByLabel(zh.account.password_label, { exact: true }), PASSWORD);
  await type(page, page.getByLabel(zh.account.confirm_label, { exact: true }), PASSWORD);
  await expect(page.getByText(`用户名 ${username} 可以使用`)).toBeVisible();
  await pick(page, page.locator('#account-id-front'), pngFile('id-front.png', 1));
  await pick(page, page.locator('#account-id-back'), pngFile('id-back.png', 2));
  await pick(page, page.locator('#account-asset-proofs'), pngFile('bank-statement.png', 3));
  await expect.poll(() => draftUploadCounts(page)).toEqual([1, 1, 1]);
  await type(page, page.getByLabel(zh.account.email_label, { exact: true }), 'investor@example.com');
  for (const doc of config.agreements) {
    const title = doc.title['zh-CN'];
    await press(page, page.getByRole('button', { name: `《${title}》` }));
    const dialog = page.getByRole('dialog', { name: new RegExp(title) });
    await expect(dialog).toBeVisible();
    const text = dialog.getByRole('region');
    await expect(text).not.toHaveText(zh.agreement.loading);
    await tabTo(page, text);
    await page.keyboard.press('End');
    const agree = dialog.getByRole('button', { name: zh.agreement.agree, exact: true });
    await expect(agree).toBeEnabled();
    await press(page, agree);
    await expect(dialog).toBeHidden();
    // Back on the page, where the dialog was opened from.
    await expect(page.getByRole('button', { name: `《${title}》` })).toBeFocused();
  }
  await press(page, page.getByRole('button', { name: zh.common.next }));

  await expect(heading(page, zh.review.title)).toBeFocused();
  // Shift+Tab works too: back up to a 修改 link and down again.
  await tabTo(page, page.getByRole('button', { name: zh.review.submit }));
  await tabTo(page, page.getByRole('link', { name: /^修改/ }).last(), { back: true });
  await press(page, page.getByRole('button', { name: zh.review.submit }));
  await expect(heading(page, zh.submitted.title)).toBeFocused();
  await expect(page.locator('#application-reference')).not.toHaveText('');
});
