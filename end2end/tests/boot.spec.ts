import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';
import { prefetched } from './fixtures/parts';

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

// What a phone downloads: the app's code compressed the first time, and nothing of it again on the next visit.
test('the app comes compressed, and a second visit downloads only the page and its config', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  type Load = { url: string; status?: number; encoding?: string; cached: boolean; bytes?: number };
  const loads = new Map<string, Load>();
  cdp.on('Network.requestWillBeSent', (e) => loads.set(e.requestId, { url: e.request.url, cached: false }));
  cdp.on('Network.requestServedFromCache', (e) => {
    const load = loads.get(e.requestId);
    if (load) load.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const load = loads.get(e.requestId);
    if (!load) return;
    load.status = e.response.status;
    load.encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'];
    load.cached ||= Boolean(e.response.fromDiskCache);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const load = loads.get(e.requestId);
    if (load) load.bytes = e.encodedDataLength;
  });
  const visit = async () => {
    loads.clear();
    // The later steps' code downloads while the entry page is read (lazy-pages.spec.ts): the first visit waits
    // for it, the second finds it in the cache.
    const parts = prefetched(page);
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
    await parts;
    await page.waitForLoadState('networkidle');
    return [...loads.values()].map((load) => ({ ...load, path: new URL(load.url).pathname }));
  };

  const first = await visit();
  const wasm = first.find((load) => load.path.endsWith('.wasm'));
  expect(wasm, 'the first visit loads the wasm').toBeTruthy();
  expect(['br', 'gzip']).toContain(wasm!.encoding);
  const raw = (await page.request.get(wasm!.url, { headers: { 'accept-encoding': 'identity' } })).body();
  expect(wasm!.bytes!, 'compressed, the wasm is well under half its size').toBeLessThan((await raw).length / 2);

  const second = await visit();
  const downloaded = second
    .filter((load) => !load.cached && load.status !== 304)
    .map((load) => load.path);
  expect(downloaded.sort()).toEqual(['/', '/config.json'].sort());
});
