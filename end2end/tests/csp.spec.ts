import { test, expect } from './fixtures/test';
import zh from '../../locales/zh-CN.json';

// The Content-Security-Policy really bites: a script slipped into the page (a compromised proxy, a template
// mistake) is refused by the browser, while the app's own start-up script, which carries the response's nonce,
// runs. Every test of the suite already fails on a violation (fixtures/test.ts); this one provokes them.
test.use({
  expectedConsoleErrors: [/CSP violation|Content Security Policy|Refused to (execute|run|load)/],
});

test('a script injected into the page is blocked, and the app still starts', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
  });
  await page.route(
    (url) => url.pathname === '/',
    async (route) => {
      const response = await route.fetch();
      const injected = [
        '<script>window.__pwned = 1</script>',
        '<script nonce="guessed-nonce">window.__pwned = 2</script>',
        '<img src="/favicon.ico" onload="window.__pwned = 3">',
        '<script src="data:text/javascript,window.__pwned=4"></script>',
      ].join('');
      const html = (await response.text()).replace('<head>', `<head>${injected}`);
      await route.fulfill({ response, body: html });
    },
  );
  const response = await page.goto('/');
  expect(response!.headers()['content-security-policy']).toContain("'nonce-");
  await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  expect(violations.filter((d) => d.startsWith('script-src')).length).toBeGreaterThanOrEqual(4);
});

test('each page load carries its own nonce, in the policy and on the start-up script', async ({ page }) => {
  const load = async () => {
    const response = await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: zh.entry.title })).toBeVisible();
    const header = /'nonce-([^']+)'/.exec(response!.headers()['content-security-policy'])?.[1];
    // The browser hides the attribute from the page once the script ran; the property keeps it.
    const onScript = await page.locator('script[nonce]').first().evaluate((s) => (s as HTMLScriptElement).nonce);
    expect(onScript).toBe(header);
    return header;
  };
  const first = await load();
  const second = await load();
  expect(first).toBeTruthy();
  expect(second).not.toBe(first);
});
