/*
 * 网上开户 · 湖北碳排放权交易中心 — puts the online account opening into an element of another page.
 *
 *   <div data-hbets-kaihu data-config="/kaihu/config.json" data-base="/service/kaihu/" data-locale="zh-CN"></div>
 *   <script type="module" src="/kaihu/kaihu-mount.js"></script>
 *
 * The script sits beside the app's index.html (it is shipped in dist/). It reads that index.html for the file
 * names of the current build (they change with every build), puts the app's stylesheets into a shadow root of
 * the element, so that the page's styles and the app's do not meet, and starts the app, which renders into that
 * shadow root. `data-config` defaults to the config.json beside this script. docs/embedding.md tells the rest:
 * the attributes, the host page's Content-Security-Policy, and how the host page is served under `data-base`.
 * Plain JavaScript, no dependencies.
 */
const HOST = '[data-hbets-kaihu]';

/** Resolves once the stylesheet has loaded, or failed to (the app then shows unstyled rather than not at all). */
function loaded(link) {
  return new Promise((resolve) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', resolve, { once: true });
  });
}

async function mount(host) {
  const here = new URL('.', import.meta.url);
  if (!host.dataset.config) host.dataset.config = new URL('config.json', here).href;

  const indexUrl = new URL('index.html', here);
  const response = await fetch(indexUrl, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
  const index = new DOMParser().parseFromString(await response.text(), 'text/html');
  // The file names in index.html are relative to its <base href>.
  const base = new URL(index.querySelector('base')?.getAttribute('href') ?? './', indexUrl);
  const url = (element) => new URL(element.getAttribute('href'), base).href;

  // The app's files (Trunk.toml: pattern_preload).
  const app = index.querySelector('meta[name="hbets-kaihu-app"]');
  if (!app?.dataset.script || !app?.dataset.wasm) throw new Error(`${indexUrl} names no app script`);
  const script = new URL(app.dataset.script, base).href;
  const wasm = new URL(app.dataset.wasm, base).href;

  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  const styles = [...index.querySelectorAll('link[rel="stylesheet"]:not([data-standalone])')].map((found) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = url(found);
    root.append(link);
    return loaded(link);
  });
  // The app's code downloads while the stylesheets load; it starts once they have.
  const wasmResponse = fetch(wasm, { credentials: 'same-origin' });
  const [bindings] = await Promise.all([import(script), ...styles]);
  await bindings.default({ module_or_path: wasmResponse });
}

const host = document.querySelector(HOST);
if (host) {
  mount(host).catch((error) => console.error('hbets-kaihu: the app could not start:', error));
}
