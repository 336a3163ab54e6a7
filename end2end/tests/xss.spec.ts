import { test, expect } from './fixtures/test';
import type { Page, Route } from '@playwright/test';
import zh from '../../locales/zh-CN.json';
import { DRAFT_KEY, freshPhone, startApplication, startAtAccount } from './fixtures/application';
import { FAILED_REQUEST_ERRORS } from './fixtures/faults';
import { ALL_IN_ONE, PAYLOADS, expectFitsPhone, expectNothingRan, watchDialogs } from './fixtures/payloads';
import { pngFile } from './fixtures/png';
import { submitByApi, track } from './fixtures/submitted';
import { PASSWORD, uniqueUsername } from './fixtures/wizard';

// Hostile text wherever the app shows text — typed into every field, in the agreement and quiz texts, in every
// string of config.json, in the server's error messages — is shown as text: nothing runs, no dialog opens, and
// the page still fits a 375 px phone. These run on the phone (the layout matters there).
test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
});

const payloads = Object.entries(PAYLOADS);

/** What an input keeps of a typed text: a one-line input drops line breaks, nothing else. */
const asTyped = (text: string) => text.replace(/[\r\n]/g, '');

async function typeEverywhere(page: Page, labels: string[], dialogs: string[]) {
  for (const [name, payload] of payloads) {
    await test.step(name, async () => {
      for (const label of labels) {
        const field = page.getByLabel(label, { exact: true });
        await field.fill(payload);
        await field.blur();
        await expect(field).toHaveValue(asTyped(payload));
      }
      await expectNothingRan(page, dialogs);
      await expectFitsPhone(page);
    });
  }
}

test('typed into every field of the identity and account pages, and into image names, hostile text stays text', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const dialogs = watchDialogs(page);
  await startApplication(page, request);
  await typeEverywhere(
    page,
    [zh.identity.name_label, zh.identity.document_number_label, zh.identity.phone_label, zh.identity.code_label],
    dialogs,
  );
  // Shown back in the draft as typed, never as markup.
  expect(JSON.parse((await page.evaluate((k) => sessionStorage.getItem(k), DRAFT_KEY))!).identity.name).toBe(
    asTyped(PAYLOADS.nul),
  );

  await startAtAccount(page, request);
  await typeEverywhere(
    page,
    [
      zh.account.username_label,
      zh.account.password_label,
      zh.account.confirm_label,
      zh.account.address_label,
      zh.account.email_label,
    ],
    dialogs,
  );
  // Image names are the investor's text too: shown on the rows and the check-answers page as text.
  const names = [`${PAYLOADS.img}.png`, `${PAYLOADS.script}.png`, `${PAYLOADS.rtl}${'长'.repeat(300)}.png`];
  await page.locator('#account-id-front').setInputFiles(pngFile(names[0], 91));
  await page.locator('#account-id-back').setInputFiles(pngFile(names[1], 92));
  await page.locator('#account-asset-proofs').setInputFiles(pngFile(names[2], 93));
  await expect(page.locator('.attachment-done')).toHaveCount(3);
  for (const name of names) await expect(page.locator('.attachment-name').filter({ hasText: name })).toHaveCount(1);
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);

  // The texts the rules let through reach the check-answers page, as text.
  const address = `${PAYLOADS.url} ${PAYLOADS.rtl} ${[...PAYLOADS.emoji].slice(0, 24).join('')} "'&amp;`;
  await page.getByLabel(zh.account.address_label).fill(address);
  await page.getByLabel(zh.account.username_label, { exact: true }).fill(uniqueUsername());
  await page.getByLabel(zh.account.email_label, { exact: true }).fill('investor@example.com');
  await page.getByLabel(zh.account.password_label, { exact: true }).fill(PASSWORD);
  await page.getByLabel(zh.account.confirm_label, { exact: true }).fill(PASSWORD);
  await page.goto('/personal/review');
  await expect(page.getByText(address.trim())).toBeVisible();
  for (const name of names) await expect(page.getByText(name)).toBeVisible();
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);
});

test('typed into the lookup form, hostile text stays text', async ({ page }) => {
  const dialogs = watchDialogs(page);
  await page.goto('/personal/status/lookup');
  await typeEverywhere(page, [zh.lookup.reference_label, zh.identity.phone_label, zh.identity.code_label], dialogs);
  await page.getByRole('button', { name: zh.lookup.submit }).click();
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);
});

/** Serves the real file at `url` with `rewrite` applied to its text. */
async function rewrite(page: Page, url: string, change: (text: string) => string) {
  await page.route(url, async (route: Route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: change(await response.text()) });
  });
}

/** Every string of a JSON value replaced by `payload`, but for the keys `keep` names. */
function poison(value: unknown, payload: (at: string) => string, keep: (key: string) => boolean, at = ''): unknown {
  if (typeof value === 'string') return keep(at) ? value : payload(at);
  if (Array.isArray(value)) return value.map((v, i) => poison(v, payload, keep, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, poison(v, payload, keep, at ? `${at}.${k}` : k)]),
    );
  }
  return value;
}

/** A payload per place, taking turns, so that each kind lands in several places. */
function takeTurns() {
  let turn = 0;
  return () => payloads[turn++ % payloads.length][1];
}

test('hostile agreement texts are shown as text in their dialog', async ({ page, request }) => {
  const dialogs = watchDialogs(page);
  await rewrite(page, '**/agreements/*.txt', () => Object.values(PAYLOADS).join('\n\n'));
  await startAtAccount(page, request);
  await page.getByRole('button', { name: /《入市协议书》/ }).click();
  const dialog = page.getByRole('dialog');
  for (const payload of [PAYLOADS.img, PAYLOADS.script, PAYLOADS.svg, PAYLOADS.url, PAYLOADS.long]) {
    await expect(dialog.locator('.agreement-text')).toContainText(payload);
  }
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);
});

test('hostile quiz texts are shown as text, on the quiz and on its result', async ({ page }) => {
  const dialogs = watchDialogs(page);
  const next = takeTurns();
  await rewrite(page, '**/quiz.json', (text) =>
    JSON.stringify(poison(JSON.parse(text), next, (at) => /(^|\.)(id|kind|topic|version)$/.test(at))),
  );
  await page.goto('/personal/quiz');
  await expect(page.locator('.quiz-question').first()).toBeVisible();
  await expect(page.locator('.quiz-form')).toContainText(PAYLOADS.img);
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);
  // A failed attempt lists the topics to revisit (their titles are hostile too).
  for (const group of await page.locator('.quiz-question').all()) {
    await group.locator('input').first().check();
  }
  await page.getByRole('button', { name: zh.quiz.submit }).click();
  await expect(page.getByRole('heading', { level: 1, name: zh.quiz.result_title })).toBeVisible();
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);
});

test('hostile strings in every text of config.json are shown as text on every page that shows them', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const dialogs = watchDialogs(page);
  const next = takeTurns();
  // Addresses are checked at start (config-links); ids and the quiz mode are names the app looks up.
  const kept = (at: string) => /(_url|\.url\.[\w-]+|(^|\.)id|\.mode)$/.test(at);
  await rewrite(page, '**/config.json', (text) => {
    const config = poison(JSON.parse(text), next, kept) as Record<string, unknown>;
    (config.quiz as Record<string, unknown>).mode = 'external';
    return JSON.stringify(config);
  });
  const submitted = await submitByApi(request);
  await track(page, submitted);
  for (const path of [
    '/',
    '/enterprise',
    '/personal',
    '/personal/quiz',
    '/personal/consent',
    '/personal/fee',
    '/personal/client',
  ]) {
    await test.step(path, async () => {
      await page.goto(path);
      await expect(page.locator('h1').first()).toBeVisible();
      await expect(page.getByRole('heading', { name: zh.config_error.title })).toHaveCount(0);
      await expectNothingRan(page, dialogs);
      await expectFitsPhone(page);
    });
  }
  // The declared score of the external questionnaire is a text field too.
  await page.goto('/personal/quiz');
  await typeEverywhere(page, [zh.quiz.declared_score_label], dialogs);
  // Agreement titles and versions on the account page and in their dialogs.
  await startAtAccount(page, request);
  await page.locator('.agreement-open').first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNothingRan(page, dialogs);
  await expectFitsPhone(page);
});

test.describe('server error messages', () => {
  test.use({ expectedConsoleErrors: FAILED_REQUEST_ERRORS });

  test('hostile codes, messages and fields in error answers never reach the page as markup', async ({
    page,
    request,
  }) => {
    const dialogs = watchDialogs(page);
    const hostile = (status: number) => ({
      status,
      contentType: 'application/json',
      body: JSON.stringify({
        code: PAYLOADS.img,
        message: ALL_IN_ONE,
        field: PAYLOADS.script,
        retry_after_s: 5,
        errors: [{ field: PAYLOADS.script, code: PAYLOADS.svg, message: ALL_IN_ONE }],
      }),
    });
    await page.route('**/api/v1/sms-codes', (route) => route.fulfill(hostile(400)));
    await page.route('**/api/v1/applications', (route) => route.fulfill(hostile(422)));
    await page.route('**/api/v1/uploads', (route) => route.fulfill(hostile(415)));
    await startAtAccount(page, request);
    await page.locator('#account-id-front').setInputFiles(pngFile('front.png', 94));
    await expect(page.locator('.attachment-failure')).toBeVisible();
    await expectNothingRan(page, dialogs);
    await expectFitsPhone(page);

    await page.goto('/personal/identity');
    // Another number, whose code the hostile answer refuses.
    await page.getByLabel(zh.identity.phone_label).fill(freshPhone());
    const refused = page.waitForResponse('**/api/v1/sms-codes');
    await page.getByRole('button', { name: zh.identity.send_code }).click();
    expect((await refused).status()).toBe(400);
    await expectNothingRan(page, dialogs);
    await expectFitsPhone(page);
    await expect(page.locator('body')).not.toContainText(PAYLOADS.img);
  });
});
