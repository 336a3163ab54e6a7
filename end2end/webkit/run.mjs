// The happy path of the application in WebKit, the engine of Safari and of every browser on iOS (WeChat's too):
// WebKitGTK's MiniBrowser under Xvfb, driven by WebKitWebDriver through selenium-webdriver. From the entry page
// through the quiz, the consent and the SMS code to the account page, where three images go through the real file
// inputs, one of them a photo stored sideways (EXIF orientation 6) that must be previewed and stored upright, and
// the three agreements are read and accepted; it ends on the check-answers page.
//
// Starts its own reference backend (the release build in E2E_DIST, default ../../dist; the debug backend in
// BACKEND_BIN, default ../../target/debug/backend) with a fresh data folder, an Xvfb display and the driver, on
// free ports from WEBKIT_PORT (default 8190) on. Prints PASS or FAIL for each step, stops every process it started
// and exits non-zero on a failure. With WEBKIT_SCREENSHOTS=<folder>, screenshots of the account page and the
// check-answers page are written there; a failure's screenshot goes there too (else to the system's temp folder).
//
// The WebDriver client is selenium-webdriver: 17 packages, 20 MB installed (17 MB of it the Selenium Manager
// binaries, which never run here: the driver is started by this script). WebdriverIO's `webdriver` is 125 packages,
// 47 MB. WebKitWebDriver 2.50 speaks WebDriver classic only (no BiDi, no log endpoint): the page's errors are
// collected by a script put into it once the app has started (PAGE_HOOKS).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder } from 'selenium-webdriver';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const fromEnv = (name, fallback) =>
  process.env[name] ? path.resolve(process.env[name]) : path.resolve(here, fallback);
const backendBin = fromEnv('BACKEND_BIN', '../../target/debug/backend');
const dist = fromEnv('E2E_DIST', '../../dist');
const miniBrowser = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const firstPort = Number(process.env.WEBKIT_PORT ?? 8190);
const screenshots = process.env.WEBKIT_SCREENSHOTS ? path.resolve(process.env.WEBKIT_SCREENSHOTS) : null;
/** The whole run, start to cleanup, stays under this. */
const RUN_LIMIT_MS = 110_000;

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const zh = readJson(path.join(repo, 'locales/zh-CN.json'));
const quiz = readJson(path.join(repo, 'public/quiz.json'));
const answerKey = readJson(path.join(repo, 'crates/backend/quiz-answer-key.json')).answers;
/** A locale string with its `{{ name }}` placeholders filled. */
const fill = (text, values) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key) => String(values[key]));

const fixtures = path.join(here, 'fixtures');
const SIDEWAYS = 'id-front-sideways.jpg';
const uploads = [
  { input: '#account-id-front', file: SIDEWAYS, draftKey: 'id_front' },
  { input: '#account-id-back', file: 'id-back.png', draftKey: 'id_back' },
  { input: '#account-asset-proofs', file: 'bank-statement.png', draftKey: 'asset_proofs' },
];
/** How the sideways photo shows upright: 400 × 600, red block top-right, blue block bottom-left (make-images.py). */
const UPRIGHT = { width: 400, height: 600 };
const PASSWORD = 'green-carbon-market-2026';
const DRAFT_KEY = 'hbets-kaihu.draft';

// ---------------------------------------------------------------------------------------------------------------
// Processes

const started = [];
const cleanups = [];

function startProcess(name, command, args, options = {}) {
  const child = spawn(command, args, { detached: true, ...options });
  child.on('error', (error) => console.error(`${name}: ${error.message}`));
  started.push({ name, child });
  return child;
}

/** Ends a process this run started (its own process group, so MiniBrowser goes with its driver). */
async function stopProcess({ name, child }) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 3000));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    console.error(`${name} did not stop on SIGTERM; killing it`);
    signal('SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  }
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first free loopback port from `from` on. */
async function freePort(from) {
  for (let port = from; port < from + 100; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port from ${from}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers 200 within `ms`, or `child` exits. */
async function waitForUrl(url, ms, child, name) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/** Xvfb on a display it picks itself (-displayfd), so a display in use elsewhere is never taken. */
async function startXvfb() {
  const child = startProcess('Xvfb', 'Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const display = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb gave no display within 10 s: ${stderr}`)), 10_000);
    child.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${stderr}`)));
  });
  return `:${display}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps

const results = [];

/** The page under test, once there is one: after each step its hooks must still be there. */
let currentPage = null;

async function step(name, run) {
  const began = Date.now();
  try {
    const detail = await run();
    if (currentPage && (await currentPage.run('return !!window.__webkitTest;')) === false) {
      throw new Error('the page was loaded anew during this step (its hooks are gone): the app should stay one page');
    }
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    results.push({ name, ok: true });
    console.log(`PASS  ${name} (${seconds} s)${detail ? `\n      ${detail}` : ''}`);
  } catch (error) {
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    results.push({ name, ok: false });
    console.log(
      `FAIL  ${name} (${seconds} s)\n      ${String(error?.message ?? error)
        .split('\n')
        .join('\n      ')}`,
    );
    throw Object.assign(new Error(`step failed: ${name}`), { reported: true });
  }
}

/** Polls `probe` until it gives something truthy; its last error or value is in the timeout's message. */
async function until(what, probe, ms = 15_000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error?.message ?? error;
    }
    if (Date.now() > end)
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(100);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------------------------------------
// The page, as a user finds things on it: by the text of labels, buttons, links and headings.

/** Lookups run inside the page; each script starts with these. */
const IN_PAGE = `
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const byText = (root, selector, text) =>
    [...root.querySelectorAll(selector)].find((el) => visible(el) && norm(el.textContent) === text) || null;
  const byLabel = (root, text) => {
    const label = [...root.querySelectorAll('label[for]')].find((l) => norm(l.textContent) === text);
    return label ? document.getElementById(label.getAttribute('for')) : null;
  };
  const heading = () => norm((document.querySelector('h1') || {}).textContent);
  /** The first element matching \`selector\` whose \`part\` reads \`text\` (or begins with it, with \`prefix\`). */
  const withPart = (selector, part, text, prefix = false) =>
    [...document.querySelectorAll(selector)].find((el) => {
      const read = norm((el.querySelector(part) || {}).textContent);
      return prefix ? read.startsWith(text) : read === text;
    }) || null;
  /** The preview <img> of the one stored image of the attachment field with the file input \`input\`, once shown. */
  const storedPreview = (input) => {
    const items = document.querySelector(input).closest('.attachment-field').querySelectorAll('.attachment-item');
    const done = items.length === 1 && items[0].matches('.attachment-item-done');
    const img = done && items[0].querySelector('.attachment-preview img');
    return img && img.complete && img.naturalWidth > 0 ? img : null;
  };
  /** An image's natural size and the colours 20 px in from its corners. */
  const corners = (img) => {
    const width = img.naturalWidth;
    const height = img.naturalHeight;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const at = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3));
    const d = 20;
    return {
      width, height,
      topLeft: at(d, d), topRight: at(width - d, d),
      bottomLeft: at(d, height - d), bottomRight: at(width - d, height - d),
    };
  };
`;

class Page {
  constructor(driver, baseUrl) {
    this.driver = driver;
    this.baseUrl = baseUrl;
  }

  run(body, ...args) {
    return this.driver.executeScript(`${IN_PAGE}\n${body}`, ...args);
  }

  runAsync(body, ...args) {
    const script = `${IN_PAGE}
      const done = arguments[arguments.length - 1];
      (async () => { ${body} })().then(done, (e) => done({ error: String((e && e.stack) || e) }));`;
    return this.driver.executeAsyncScript(script, ...args);
  }

  async heading(text) {
    await until(`the heading “${text}”`, async () => (await this.run('return heading();')) === text);
  }

  async element(what, body, ...args) {
    return until(what, () => this.run(body, ...args));
  }

  button(text) {
    return this.element(`the button “${text}”`, 'return byText(document, "button", arguments[0]);', text);
  }

  link(text) {
    return this.element(`the link “${text}”`, 'return byText(document, "a", arguments[0]);', text);
  }

  field(label) {
    return this.element(`the field labelled “${label}”`, 'return byLabel(document, arguments[0]);', label);
  }

  /** The label with this text inside `within` (a script expression): what a person clicks to tick a box. */
  label(text, within = 'document') {
    return this.element(`the label “${text}”`, `return byText(${within}, 'label', arguments[0]);`, text);
  }

  async type(label, text) {
    const input = await this.field(label);
    await input.clear();
    await input.sendKeys(text);
  }

  async click(element) {
    await this.driver.executeScript('arguments[0].scrollIntoView({ block: "center" });', element);
    await element.click();
  }

  text() {
    return this.run('return document.body.innerText;');
  }

  draft() {
    return this.run(`return JSON.parse(sessionStorage.getItem(${JSON.stringify(DRAFT_KEY)}) || '{}');`);
  }

  /** A screenshot once the page has drawn two frames since the last change (an earlier frame may show else). */
  async screenshot(file) {
    const frames = await this.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const timer = setTimeout(() => done(false), 3000);
      requestAnimationFrame(() => requestAnimationFrame(() => {
        clearTimeout(timer);
        done(true);
      }));
    `);
    if (!frames) console.log(`      (no frame drawn within 3 s before the screenshot ${file})`);
    fs.writeFileSync(file, await this.driver.takeScreenshot(), 'base64');
  }
}

/**
 * Records uncaught errors, rejected promises and console.error from now on (the app is one page: they last), and
 * counts the app's calls of the image APIs (src/image/decode.rs, encode.rs), so the path it took is known.
 */
const PAGE_HOOKS = `
  if (window.__webkitTest) return true;
  const errors = [];
  const calls = { createImageBitmap: [], convertToBlob: 0, toBlob: 0, imgDecode: 0 };
  window.__webkitTest = { errors, calls };
  addEventListener('error', (e) =>
    errors.push('uncaught: ' + (e.message || e.type) + ' at ' + e.filename + ':' + e.lineno + ':' + e.colno));
  addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + String(e.reason)));
  const consoleError = console.error;
  console.error = function (...args) {
    errors.push('console.error: ' + args.map(String).join(' '));
    return consoleError.apply(this, args);
  };
  const createImageBitmap = window.createImageBitmap;
  window.createImageBitmap = function (...args) {
    const call = { orientation: args[1] && args[1].imageOrientation, result: 'pending' };
    calls.createImageBitmap.push(call);
    const promise = createImageBitmap.apply(this, args);
    promise.then((b) => (call.result = b.width + ' × ' + b.height), (e) => (call.result = String(e)));
    return promise;
  };
  const count = (proto, name, key) => {
    if (!proto || !proto[name]) return;
    const original = proto[name];
    proto[name] = function (...args) {
      calls[key] += 1;
      return original.apply(this, args);
    };
  };
  count(window.OffscreenCanvas && OffscreenCanvas.prototype, 'convertToBlob', 'convertToBlob');
  count(HTMLCanvasElement.prototype, 'toBlob', 'toBlob');
  count(HTMLImageElement.prototype, 'decode', 'imgDecode');
  return false;
`;

/** The app's image API calls so far (PAGE_HOOKS). */
function imageCalls(page) {
  return page.run('return JSON.parse(JSON.stringify(window.__webkitTest.calls));');
}

function describeCalls(calls) {
  const bitmaps = calls.createImageBitmap.map((c) => `${c.orientation ?? 'no options'} → ${c.result}`);
  return [
    `createImageBitmap ×${bitmaps.length} [${bitmaps.join('; ')}],`,
    `OffscreenCanvas.convertToBlob ×${calls.convertToBlob}, <canvas>.toBlob ×${calls.toBlob},`,
    `<img>.decode ×${calls.imgDecode}`,
  ].join(' ');
}

async function expectNoErrors(page) {
  const errors = await page.run('return window.__webkitTest.errors;');
  check(errors.length === 0, `errors in the page:\n${errors.join('\n')}`);
}

/** What the WebKit build offers of the APIs the image pipeline uses (src/image/), and which path it takes. */
async function probeImageApis(page, photo) {
  const probe = await page.runAsync(
    `
    const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
    const blob = new Blob([bytes], { type: 'image/jpeg' });
    const out = {
      offscreenCanvas: typeof OffscreenCanvas === 'function',
      convertToBlob:
        typeof OffscreenCanvas === 'function' && typeof OffscreenCanvas.prototype.convertToBlob === 'function',
      createImageBitmap: typeof createImageBitmap === 'function',
      imageDecoder: typeof ImageDecoder === 'function',
    };
    try {
      // The app's own call (src/image/decode.rs): the EXIF orientation applied while decoding.
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      out.bitmap = [bitmap.width, bitmap.height];
      bitmap.close();
    } catch (e) {
      out.bitmap = String(e);
    }
    return out;
  `,
    photo.toString('base64'),
  );
  check(!probe.error, `the feature probe failed: ${probe.error}`);
  const bitmapUpright =
    Array.isArray(probe.bitmap) && probe.bitmap[0] === UPRIGHT.width && probe.bitmap[1] === UPRIGHT.height;
  const decode = Array.isArray(probe.bitmap) ? 'createImageBitmap(imageOrientation: "from-image")' : '<img> (fallback)';
  const draw = probe.offscreenCanvas ? 'OffscreenCanvas.convertToBlob' : '<canvas>.toBlob (fallback)';
  return { probe, bitmapUpright, path: `${decode} → ${draw}` };
}

/** The preview `<img>` of an attachment field once it shows a stored picture: its natural size and corner colours. */
function previewOf(page, inputSelector) {
  return page.run(
    `const img = storedPreview(arguments[0]);
     return img ? corners(img) : null;`,
    inputSelector,
  );
}

/** The stored file of an upload (GET /api/v1/dev/uploads/{id}), decoded by the page: size and corner colours. */
function storedImage(page, uploadId) {
  return page.runAsync(
    `const response = await fetch('/api/v1/dev/uploads/' + encodeURIComponent(arguments[0]));
     if (!response.ok) return { error: 'GET /api/v1/dev/uploads: ' + response.status };
     const url = URL.createObjectURL(await response.blob());
     const img = new Image();
     await new Promise((loaded, failed) => {
       img.onload = loaded;
       img.onerror = () => failed(new Error('the stored image does not decode'));
       img.src = url;
     });
     URL.revokeObjectURL(url);
     return corners(img);`,
    uploadId,
  );
}

const isRed = ([r, g, b]) => r > 200 && g < 60 && b < 60;
const isBlue = ([r, g, b]) => b > 200 && r < 60 && g < 60;

/** The picture is the sideways photo shown upright: portrait, red block top-right, blue bottom-left. */
function checkUpright(image, what) {
  const described = `${what}: ${image.width} × ${image.height}, corners ${JSON.stringify({
    topLeft: image.topLeft,
    topRight: image.topRight,
    bottomLeft: image.bottomLeft,
    bottomRight: image.bottomRight,
  })}`;
  check(image.width < image.height, `${described} — not portrait: the photo was not turned upright`);
  check(
    Math.abs(image.width / image.height - UPRIGHT.width / UPRIGHT.height) < 0.02,
    `${described} — not in the photo's proportions`,
  );
  check(
    isRed(image.topRight) && isBlue(image.bottomLeft) && !isRed(image.topLeft) && !isRed(image.bottomRight),
    `${described} — the red block is not top-right (and the blue bottom-left): turned the wrong way or stretched`,
  );
  return `${what} ${image.width} × ${image.height}, red top-right, blue bottom-left`;
}

/** A JPEG's size from its frame header, and whether it carries EXIF. */
function jpegFacts(bytes) {
  check(bytes[0] === 0xff && bytes[1] === 0xd8, 'the stored file is not a JPEG');
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`JPEG marker expected at ${at}`);
    const marker = bytes[at + 1];
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return {
        height: bytes.readUInt16BE(at + 5),
        width: bytes.readUInt16BE(at + 7),
        exif: bytes.includes(Buffer.from('Exif\0\0', 'latin1')),
      };
    }
    at += 2 + length;
  }
  throw new Error('no JPEG frame header');
}

/** A valid resident ID number of someone born on `birth` (YYYYMMDD), with a correct check character. */
function residentId(birth, region = '420102', sequence = '123') {
  const body = `${region}${birth}${sequence}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

function uniqueResidentId() {
  const pad = (n, width) => String(n).padStart(width, '0');
  const year = 1960 + Math.floor(Math.random() * 40);
  const birth = `${year}${pad(1 + Math.floor(Math.random() * 12), 2)}${pad(1 + Math.floor(Math.random() * 28), 2)}`;
  return residentId(birth, '420102', pad(Math.floor(Math.random() * 1000), 3));
}

function freshPhone() {
  const n = (Date.now() % 1_0000_0000) + Math.floor(Math.random() * 1000);
  return `139${String(n).padStart(8, '0').slice(-8)}`;
}

async function smsCodeFor(baseUrl, phone) {
  return until(
    `the SMS code sent to ${phone}`,
    async () => {
      const response = await fetch(`${baseUrl}/api/v1/dev/sms-codes/${phone}`);
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`GET /api/v1/dev/sms-codes: ${response.status}`);
      return (await response.json()).code;
    },
    5000,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The test

async function happyPath(page, baseUrl) {
  const { driver } = page;
  const photo = fs.readFileSync(path.join(fixtures, SIDEWAYS));
  const appConfig = readJson(path.join(dist, 'config.json'));

  await step('the entry page loads in WebKit', async () => {
    const loading = Date.now();
    await driver.get(`${baseUrl}/`);
    // index.html carries the entry page as plain HTML, whose links load the next page anew; the app removes it
    // once it shows its own page.
    await until('the app to replace the entry page written into index.html', () =>
      page.run('return !document.getElementById("first-screen");'),
    );
    const booted = Date.now() - loading;
    await page.heading(zh.entry.title);
    await page.run(PAGE_HOOKS);
    currentPage = page;
    const ua = await page.run('return navigator.userAgent;');
    return `the app showed its entry page ${booted} ms after the load began; ${ua}`;
  });

  let imagePath;
  await step('the image APIs the app uses, as WebKit has them', async () => {
    imagePath = await probeImageApis(page, photo);
    // The probe's own calls are not the app's.
    await page.run(`const c = window.__webkitTest.calls;
      c.createImageBitmap.length = 0;
      c.convertToBlob = c.toBlob = c.imgDecode = 0;`);
    const { probe } = imagePath;
    const yesNo = (b) => (b ? 'yes' : 'no');
    return [
      `OffscreenCanvas ${yesNo(probe.offscreenCanvas)}, convertToBlob ${yesNo(probe.convertToBlob)},`,
      `createImageBitmap ${yesNo(probe.createImageBitmap)}`,
      `(imageOrientation "from-image": ${JSON.stringify(probe.bitmap)}),`,
      `ImageDecoder ${yesNo(probe.imageDecoder)} (not used by the app)`,
      `\n      the app's image path here, by these: ${imagePath.path}`,
    ].join(' ');
  });

  await step('个人用户 开始 → the quiz notice → the quiz', async () => {
    const personal = await page.element(
      `the ${zh.entry.personal_title} card's ${zh.entry.start} link`,
      `const card = withPart('li', 'h2', arguments[0]);
       return card ? byText(card, 'a', arguments[1]) : null;`,
      zh.entry.personal_title,
      zh.entry.start,
    );
    await page.click(personal);
    await page.heading(zh.quiz_notice.title);
    await page.click(await page.link(zh.quiz_notice.start));
    await page.heading(zh.quiz.title);
  });

  await step('the quiz answered correctly', async () => {
    for (const [index, question] of quiz.questions.entries()) {
      const legend = fill(zh.quiz.question_number, { number: index + 1 });
      const group = `withPart('fieldset', 'legend', ${JSON.stringify(`${legend} `)}, true)`;
      for (const option of question.options.filter((o) => answerKey[question.id].includes(o.id))) {
        await page.click(await page.label(option.text['zh-CN'], group));
      }
    }
    await page.click(await page.button(zh.quiz.submit));
    await until('the result', async () => (await page.text()).includes(zh.quiz.passed));
    await page.click(await page.link(zh.quiz.proceed));
  });

  await step('consent', async () => {
    await page.heading(zh.consent.title);
    await page.click(await page.label(zh.consent.agree));
    await page.click(await page.button(zh.common.next));
  });

  const phone = freshPhone();
  await step('identity, with the SMS code', async () => {
    await page.heading(zh.identity.title);
    await page.type(zh.identity.name_label, '钱七');
    await page.type(zh.identity.document_number_label, uniqueResidentId());
    await page.type(zh.identity.phone_label, phone);
    await page.click(await page.button(zh.identity.send_code));
    const code = await smsCodeFor(baseUrl, phone);
    await page.type(zh.identity.code_label, code);
    await page.click(await page.button(zh.common.next));
    await page.heading(zh.account.title);
  });

  const username = `inv_${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  await step('account: username and password', async () => {
    await page.type(zh.account.username_label, username);
    const available = fill(zh.account.username_available, { name: username });
    await until(`“${available}”`, async () => (await page.text()).includes(available));
    await page.type(zh.account.password_label, PASSWORD);
    await page.type(zh.account.confirm_label, PASSWORD);
  });

  await step('account: three images through the file inputs, stored', async () => {
    for (const { input, file } of uploads) {
      const element = await page.element(
        `the file input ${input}`,
        'return document.querySelector(arguments[0]);',
        input,
      );
      await element.sendKeys(path.join(fixtures, file));
    }
    const counts = async () => {
      const account = (await page.draft()).account ?? {};
      return uploads.map(({ draftKey }) => account[draftKey]?.length ?? 0);
    };
    await until('the three uploads in the draft', async () => (await counts()).every((n) => n === 1), 30_000);
    const text = await page.text();
    for (const { file } of uploads) check(text.includes(file), `“${file}” is not shown`);
  });

  const idFrontUpload = async () => (await page.draft()).account.id_front[0].upload_id;

  /** The sideways photo's preview and stored file are upright. */
  const checkSideways = async (label) => {
    const preview = await until(`the preview of ${SIDEWAYS}`, () => previewOf(page, '#account-id-front'));
    check(!preview.error, preview.error);
    const shown = checkUpright(preview, `${label}preview`);
    const uploadId = await idFrontUpload();
    const stored = await storedImage(page, uploadId);
    check(!stored.error, stored.error);
    const kept = checkUpright(stored, 'stored');
    const response = await fetch(`${page.baseUrl}/api/v1/dev/uploads/${encodeURIComponent(uploadId)}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const facts = jpegFacts(bytes);
    check(facts.width < facts.height, `the stored JPEG is ${facts.width} × ${facts.height}: not portrait`);
    check(!facts.exif, 'the stored JPEG still carries EXIF');
    return `${shown}; ${kept} (JPEG ${facts.width} × ${facts.height}, ${bytes.length} bytes, no EXIF)`;
  };

  await step(`account: the sideways photo (EXIF orientation 6) is previewed and stored upright`, async () => {
    const calls = await imageCalls(page);
    const result = await checkSideways('');
    if (screenshots) {
      await driver.executeScript(
        'document.querySelector("#account-id-front").closest(".attachment-field").scrollIntoView({ block: "start" });',
      );
      await page.screenshot(path.join(screenshots, 'webkit-account-previews.png'));
    }
    const sideways = calls.createImageBitmap.find((c) => c.result === `${UPRIGHT.width} × ${UPRIGHT.height}`);
    if (imagePath.bitmapUpright) {
      check(
        sideways?.orientation === 'from-image',
        `the app did not decode the photo with createImageBitmap: ${describeCalls(calls)}`,
      );
    }
    if (imagePath.probe.convertToBlob) {
      check(
        calls.convertToBlob >= 1,
        `the app did not encode with OffscreenCanvas.convertToBlob: ${describeCalls(calls)}`,
      );
    }
    return `${result}\n      the app's calls for the three images: ${describeCalls(calls)}`;
  });

  const fallback =
    'account: the same photo again through the fallback path ' +
    '(OffscreenCanvas hidden, as before iOS 16.4; createImageBitmap refusing its options)';
  await step(fallback, async () => {
    const before = await page.run('return storedPreview("#account-id-front").src;');
    await page.run(`
      const test = window.__webkitTest;
      test.hidden = { OffscreenCanvas: window.OffscreenCanvas, createImageBitmap: window.createImageBitmap };
      const c = test.calls;
      c.createImageBitmap.length = 0;
      c.convertToBlob = c.toBlob = c.imgDecode = 0;
      delete window.OffscreenCanvas;
      window.createImageBitmap = function (blob, options) {
        c.createImageBitmap.push({ orientation: options && options.imageOrientation, result: 'refused by the test' });
        return Promise.reject(new TypeError('Type error'));
      };
    `);
    try {
      check(!(await page.run('return "OffscreenCanvas" in window;')), 'OffscreenCanvas could not be hidden');
      const input = await page.element(
        'the file input #account-id-front',
        'return document.querySelector("#account-id-front");',
      );
      await input.sendKeys(path.join(fixtures, SIDEWAYS));
      // The same pixels give the same bytes, which the backend keeps under the same upload id: the new preview
      // (a new blob: URL) of the stored row tells that it went through.
      await until(
        'the photo prepared again and stored',
        () =>
          page.run(
            `const img = storedPreview('#account-id-front');
               return !!img && img.src !== arguments[0] && window.__webkitTest.calls.toBlob > 0;`,
            before,
          ),
        30_000,
      );
      const calls = await imageCalls(page);
      check(
        calls.toBlob >= 1 && calls.imgDecode >= 1 && calls.convertToBlob === 0,
        `the app did not take the <img> → <canvas> path: ${describeCalls(calls)}`,
      );
      return `${await checkSideways('fallback ')}\n      the app's calls: ${describeCalls(calls)}`;
    } finally {
      await page.run(`
        const hidden = window.__webkitTest.hidden;
        window.OffscreenCanvas = hidden.OffscreenCanvas;
        window.createImageBitmap = hidden.createImageBitmap;
      `);
    }
  });

  await step('account: e-mail and address', async () => {
    await page.type(zh.account.address_label, '武汉市武昌区中北路 1 号');
    await page.type(zh.account.email_label, 'investor@example.com');
  });

  for (const agreement of appConfig.agreements) {
    const title = agreement.title['zh-CN'];
    const quoted = fill(zh.agreement.quoted_title, { title });
    await step(`agreement ${quoted}: opened, read to the end, ${zh.agreement.agree}`, async () => {
      await page.click(await page.button(quoted));
      const dialog = await page.element(
        `the dialog ${quoted}`,
        `return withPart('dialog[open]', 'h2', arguments[0]);`,
        quoted,
      );
      const agree = await page.element(
        `${zh.agreement.agree} in the dialog`,
        `return byText(arguments[0], 'button', arguments[1]);`,
        dialog,
        zh.agreement.agree,
      );
      check(!(await agree.isEnabled()), `${zh.agreement.agree} is active before the text was read`);
      await until('the agreement text', () =>
        page.run(
          `const text = arguments[0].querySelector('.agreement-text');
           return text && norm(text.textContent).length > 0 && !norm(text.textContent).includes(arguments[1]);`,
          dialog,
          zh.agreement.loading,
        ),
      );
      await page.run(
        `const text = arguments[0].querySelector('.agreement-text');
         text.scrollTop = text.scrollHeight;
         text.dispatchEvent(new Event('scroll'));`,
        dialog,
      );
      await until(`${zh.agreement.agree} to become active`, () => agree.isEnabled());
      await agree.click();
      await until('the dialog to close', async () => !(await page.run('return arguments[0].open;', dialog)));
      const ticked = await page.run(
        'return document.getElementById(arguments[0]).checked;',
        `account-agreement-${agreement.id}`,
      );
      check(ticked, `the box of ${quoted} is not ticked`);
    });
  }

  await step(`${zh.common.next} → the check-answers page shows the three images`, async () => {
    await page.click(await page.button(zh.common.next));
    await page.heading(zh.review.title);
    const text = await page.text();
    for (const { file } of uploads) check(text.includes(file), `“${file}” is not on the check-answers page`);
    check(text.includes(username), `the username ${username} is not on the check-answers page`);
    if (screenshots) {
      await page.run(
        `const group = byText(document, 'h2', arguments[0]);
         if (group) group.scrollIntoView({ block: 'start' });`,
        zh.review.attachments_group,
      );
      await page.screenshot(path.join(screenshots, 'webkit-check-answers.png'));
    }
  });

  await step('no uncaught error, rejected promise or console.error in the page', () => expectNoErrors(page));
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  for (const [what, file] of [
    ['the backend (BACKEND_BIN)', backendBin],
    ['the release build (E2E_DIST)', path.join(dist, 'index.html')],
    ["the release build's config (E2E_DIST)", path.join(dist, 'config.json')],
    ['MiniBrowser (apt-get install webkit2gtk-driver)', miniBrowser],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing: ${file}`);
  }
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'kaihu-webkit-'));
  cleanups.push(() => fs.rmSync(data, { recursive: true, force: true }));
  const backendPort = await freePort(firstPort);
  const driverPort = await freePort(backendPort + 1);
  const baseUrl = `http://127.0.0.1:${backendPort}`;

  let driver;
  let page;
  try {
    await step('servers: the reference backend, Xvfb, WebKitWebDriver', async () => {
      const log = fs.openSync(path.join(data, 'backend.log'), 'w');
      // The flags of the Playwright tests' backend (end2end/playwright.config.ts: backendArgs, sharedLimits).
      const backend = startProcess(
        'backend',
        backendBin,
        [
          '--dev',
          ...['--dist', dist, '--data-dir', path.join(data, 'data'), '--addr', `127.0.0.1:${backendPort}`],
          ...[
            '--quiz',
            path.join(repo, 'public/quiz.json'),
            '--quiz-key',
            path.join(repo, 'crates/backend/quiz-answer-key.json'),
          ],
          ...['--app-config', path.join(dist, 'config.json'), '--log-format', 'json'],
          ...['--quiz-attempts-per-ip-per-day', '10000', '--sms-per-ip-per-hour', '10000'],
          ...['--applications-per-ip-per-hour', '10000', '--sms-budget-per-hour', '100000'],
          ...['--username-checks-per-ip-per-hour', '100000', '--submission-replays-per-ip-per-hour', '10000'],
          ...['--lookups-per-ip-per-hour', '10000'],
        ],
        { cwd: here, stdio: ['ignore', log, log] },
      );
      cleanups.push(() => {
        if (results.some((r) => !r.ok)) {
          const lines = fs.readFileSync(path.join(data, 'backend.log'), 'utf8').trim().split('\n');
          console.log(`--- the backend's last log lines ---\n${lines.slice(-15).join('\n')}`);
        }
      });
      const display = await startXvfb();
      const driverLog = [];
      const webDriver = startProcess('WebKitWebDriver', 'WebKitWebDriver', [`--port=${driverPort}`], {
        env: { ...process.env, DISPLAY: display, WAYLAND_DISPLAY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [webDriver.stdout, webDriver.stderr]) {
        stream.on('data', (chunk) => driverLog.push(...String(chunk).trim().split('\n')));
      }
      cleanups.push(() => {
        if (results.some((r) => !r.ok) && driverLog.length) {
          console.log(`--- WebKitWebDriver and MiniBrowser said ---\n${driverLog.slice(-30).join('\n')}`);
        }
      });
      await waitForUrl(`${baseUrl}/api/v1/health`, 30_000, backend, 'the backend');
      await waitForUrl(`http://127.0.0.1:${driverPort}/status`, 10_000, webDriver, 'WebKitWebDriver');
      return `backend ${baseUrl}, display ${display}, driver port ${driverPort}`;
    });

    await step('a MiniBrowser session', async () => {
      driver = await new Builder()
        .usingServer(`http://127.0.0.1:${driverPort}`)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
        })
        .build();
      await driver.manage().setTimeouts({ script: 20_000, pageLoad: 30_000 });
      await driver.manage().window().setRect({ width: 1024, height: 900 });
      page = new Page(driver, baseUrl);
      const capabilities = await driver.getCapabilities();
      return `${capabilities.get('browserName')} ${capabilities.get('browserVersion')}`;
    });

    await happyPath(page, baseUrl);
  } catch (error) {
    if (!error.reported) {
      results.push({ name: 'the run', ok: false });
      console.log(`FAIL  the run\n      ${error?.stack ?? error}`);
    }
    if (page) {
      const file = path.join(screenshots ?? os.tmpdir(), 'webkit-failure.png');
      try {
        await page.screenshot(file);
        console.log(`      screenshot: ${file}`);
      } catch {
        // the browser is gone
      }
      try {
        const errors = await page.run('return window.__webkitTest ? window.__webkitTest.errors : [];');
        if (errors.length) console.log(`      errors in the page:\n      ${errors.join('\n      ')}`);
      } catch {
        // the browser is gone
      }
    }
  } finally {
    if (driver) {
      await Promise.race([driver.quit().catch(() => {}), sleep(5000)]);
    }
  }
}

async function cleanup() {
  for (const entry of started.reverse()) await stopProcess(entry);
  for (const run of cleanups.reverse()) {
    try {
      run();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}

function summary() {
  const passed = results.filter((r) => r.ok).length;
  console.log(`\nWebKit run: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  console.log(`webkit: ${passed} passed, ${results.length - passed} failed`);
  return results.length > 0 && passed === results.length;
}

const began = Date.now();
let finished = false;
const watchdog = setTimeout(async () => {
  if (finished) return;
  results.push({ name: 'the run', ok: false });
  console.log(`FAIL  the run took longer than ${RUN_LIMIT_MS / 1000} s`);
  await cleanup();
  summary();
  process.exit(1);
}, RUN_LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.log(`\nstopped by ${signal}`);
    await cleanup();
    process.exit(130);
  });
}

await main().catch((error) => {
  results.push({ name: 'the run', ok: false });
  console.log(`FAIL  the run\n      ${error?.stack ?? error}`);
});
finished = true;
clearTimeout(watchdog);
await cleanup();
process.exit(summary() ? 0 : 1);
