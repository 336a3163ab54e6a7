import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../tests/fixtures/test';
import zh from '../../locales/zh-CN.json';

// `make dev` serves a styled page (its Content-Security-Policy lets the stylesheets in), and a token changed in
// style/tokens.css shows in the open page within seconds, without a Rust rebuild: trunk reloads the page with
// the same wasm. The file is restored afterwards, whatever happens.
const tokens = join(__dirname, '..', '..', 'style', 'tokens.css');
const shipped = readFileSync(tokens, 'utf8');
const BRAND = '--color-brand: #0b6e4f;';
const CHANGED = '--color-brand: #7a1f5c;';

test.afterAll(() => writeFileSync(tokens, shipped));

test('the page is styled, and a token changed in tokens.css shows without a Rust rebuild', async ({ page }) => {
  expect(shipped).toContain(BRAND);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  // The app has taken over from the entry page written into index.html, whose header is the same.
  await expect(page.locator('#first-screen')).toHaveCount(0);
  const header = page.locator('.layout-header');
  await expect(header).toHaveCSS('background-color', 'rgb(11, 110, 79)');
  await expect(page.locator('.entry-choice').first()).toHaveCSS('border-top-left-radius', '12px');
  const wasm = () => page.locator('meta[name="hbets-kaihu-app"]').getAttribute('data-wasm');
  const before = await wasm();

  const started = Date.now();
  try {
    writeFileSync(tokens, shipped.replace(BRAND, CHANGED));
    await expect(header).toHaveCSS('background-color', 'rgb(122, 31, 92)', { timeout: 30_000 });
  } finally {
    writeFileSync(tokens, shipped);
  }
  test.info().annotations.push({ type: 'token shown after', description: `${Date.now() - started} ms` });
  console.log(`designers' loop: the changed token showed after ${Date.now() - started} ms`);
  expect(await wasm(), 'the same wasm: no Rust rebuild').toBe(before);
});
