import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';

// The app boots under the backend's Content-Security-Policy (no unsafe-inline, no unsafe-eval) and shows the
// first screen of the wizard in Chinese. CSP violations and console errors fail the test (fixtures/test.ts).
test('first screen shows the personal/enterprise choice in Chinese under a strict CSP', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toBeTruthy();
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("'wasm-unsafe-eval'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, 'the CSP names a nonce').toBeTruthy();

  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  await expect(page.getByRole('heading', { name: zh.entry.personal_title })).toBeVisible();
  await expect(page.getByRole('heading', { name: zh.entry.enterprise_title })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('security headers are set on the page', async ({ request }) => {
  const response = await request.get('/');
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBeTruthy();
  expect(headers['content-security-policy']).toContain('frame-ancestors');
  expect(headers['cache-control']).toContain('no-store');
});

test('each page load gets its own nonce', async ({ request }) => {
  const nonceOf = async () => {
    const response = await request.get('/');
    const body = await response.text();
    const inBody = /nonce="([^"]+)"/.exec(body)?.[1];
    const inHeader = /'nonce-([^']+)'/.exec(response.headers()['content-security-policy'])?.[1];
    expect(inBody).toBe(inHeader);
    expect(body).not.toContain('TRUNK NONCE');
    return inBody;
  };
  expect(await nonceOf()).not.toBe(await nonceOf());
});
