// The page side of the image benchmark (images.bench.ts): installed with page.addInitScript, so it must not use
// anything from outside the function.

/**
 * Installed in the page before the app starts: remembers the wasm memory (to report its size), watches web
 * workers (so that a silent fallback of the library to the main thread is seen), keeps the files picked through
 * a file input (the same File objects are then given to every method), and defines the runs.
 */
export function harness(settings: { target: number; quality: number; animate: boolean }) {
  const w = window as any;

  const keepMemory = (result: any) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    const memory = instance?.exports?.memory;
    if (memory instanceof WebAssembly.Memory) w.__benchWasmMemory = memory;
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) {
    WebAssembly.instantiateStreaming = (...args: any[]) => (streaming as any).apply(WebAssembly, args).then(keepMemory);
  }
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args: any[]) => (instantiate as any).apply(WebAssembly, args).then(keepMemory);

  w.__benchWorkers = [] as { done: boolean; error: string | null }[];
  const NativeWorker = window.Worker;
  w.Worker = class extends NativeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      const record = { done: false, error: null as string | null };
      w.__benchWorkers.push(record);
      this.addEventListener('message', (e: MessageEvent) => {
        if (e.data?.file) record.done = true;
        if (e.data?.error) record.error = String(e.data.error).split('\n')[0];
      });
      this.addEventListener('error', (e: ErrorEvent) => {
        record.error = e.message || 'worker error';
      });
    }
  };

  // Where the time goes: the browser calls made by a run (in the page, not in a worker), with their times.
  const traced = (owner: any, key: string, what: string) => {
    const original = owner[key];
    owner[key] = function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      const result = original.apply(this, args);
      const trace = w.__benchTrace;
      if (trace)
        Promise.resolve(result).then(
          () => trace.push({ what, t0, t1: performance.now() }),
          () => {},
        );
      return result;
    };
  };
  traced(window, 'createImageBitmap', 'decode');
  traced(OffscreenCanvas.prototype, 'convertToBlob', 'encode');
  const toBlobOf = HTMLCanvasElement.prototype.toBlob;
  HTMLCanvasElement.prototype.toBlob = function (this: HTMLCanvasElement, callback: BlobCallback, ...rest: any[]) {
    const t0 = performance.now();
    const trace = w.__benchTrace;
    return toBlobOf.call(
      this,
      (blob) => {
        trace?.push({ what: 'encode', t0, t1: performance.now() });
        callback(blob);
      },
      ...rest,
    );
  };
  traced(Blob.prototype, 'arrayBuffer', 'read');

  w.__benchPicked = {} as Record<string, File>;
  window.addEventListener(
    'change',
    (e) => {
      const input = e.target;
      if (input instanceof HTMLInputElement && input.type === 'file' && input.files?.length) {
        const file = input.files[0];
        w.__benchPicked[file.name] ??= file;
      }
    },
    true,
  );

  const toBlob = (canvas: HTMLCanvasElement, type: string, quality: number) =>
    new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob gave nothing'))), type, quality),
    );

  /** Decode upright, draw with the long edge at most `target`, encode as JPEG at `quality`. */
  const bare = async (file: File, target: number, quality: number) => {
    const started = performance.now();
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, target / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await toBlob(canvas, 'image/jpeg', quality);
    canvas.width = canvas.height = 0;
    return { ms: performance.now() - started, blob };
  };
  /** Output bytes of the picked file `name` at other settings than config.json's (the settings table). */
  w.__benchBytesAt = async (name: string, target: number, quality: number) =>
    (await bare(w.__benchPicked[name], target, quality)).blob.size;

  const runs: Record<string, (file: File) => Promise<{ ms: number; blob: Blob }>> = {
    // (a) The app's own field: a pick of `file`, until its prepared image is shown.
    app: (file) => {
      const input = document.getElementById('account-id-front') as HTMLInputElement;
      const field = input.closest('.attachment-field') as HTMLElement;
      const seen = new Set([...field.querySelectorAll('img')].map((img) => img.src));
      return new Promise((resolve, reject) => {
        let started = 0;
        const finish = (error: Error | null, src?: string) => {
          const ms = performance.now() - started;
          observer.disconnect();
          clearTimeout(timer);
          if (error) return reject(error);
          fetch(src!)
            .then((r) => r.blob())
            .then((blob) => resolve({ ms, blob }), reject);
        };
        const observer = new MutationObserver(() => {
          const shown = [...field.querySelectorAll<HTMLImageElement>('.attachment-item .attachment-preview img')].find(
            (img) => img.src.startsWith('blob:') && !seen.has(img.src),
          );
          if (shown) return finish(null, shown.src);
          const refused = field.querySelector('.field-error:not([hidden])');
          if (refused) finish(new Error(`the field refused the file: ${refused.textContent}`));
        });
        observer.observe(field, {
          subtree: true,
          childList: true,
          attributes: true,
          attributeFilter: ['src', 'hidden'],
        });
        const timer = setTimeout(() => finish(new Error('not prepared within 120 s')), 120_000);
        const picked = new DataTransfer();
        picked.items.add(file);
        input.files = picked.files;
        started = performance.now();
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
    },
    // (b) What a page would do without a library or wasm: decode upright, draw smaller, encode.
    baseline: (file) => bare(file, settings.target, settings.quality),
    library: async (file) => {
      const started = performance.now();
      const blob = await w.imageCompression(file, {
        maxWidthOrHeight: settings.target,
        initialQuality: settings.quality,
        useWebWorker: false,
      });
      return { ms: performance.now() - started, blob };
    },
    'library-worker': async (file) => {
      const before = w.__benchWorkers.length;
      const started = performance.now();
      const blob = await w.imageCompression(file, {
        maxWidthOrHeight: settings.target,
        initialQuality: settings.quality,
        useWebWorker: true,
        // Its own code from a blob: URL, never its default CDN address.
        libURL: w.__benchLibraryURL,
      });
      const ms = performance.now() - started;
      const worker = w.__benchWorkers[before];
      return {
        ms,
        blob,
        viaWorker: !!worker?.done,
        workerError: worker?.error ?? (worker ? null : 'no worker started'),
      };
    },
  };

  w.__benchOutputs = {} as Record<string, Blob>;
  /** One run of `method` on the picked file `name`, with the peak JS heap sampled while it runs. */
  // Main-thread tasks over 50 ms (the browser's "long tasks"): while one runs, the page cannot answer typing.
  const longTasks: { start: number; end: number }[] = [];
  const longTaskObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  longTaskObserver.observe({ type: 'longtask', buffered: true });

  w.__benchRun = async (method: string, name: string) => {
    const file = w.__benchPicked[name];
    if (!file) throw new Error(`${name} was never picked`);
    // A fresh MemoryInfo on every read: each one is a snapshot.
    const heap = (): number => (performance as any).memory?.usedJSHeapSize ?? 0;
    const base = heap();
    let peak = base;
    const sample = setInterval(() => {
      peak = Math.max(peak, heap());
    }, 2);
    // Frames go on during every run, as they do while a page shows a spinner. Headless Chromium otherwise gives
    // the main thread no idle time, and canvas encoding in the page (toBlob, convertToBlob), which waits for idle
    // time, starts only after its 1 s timeout. (a)'s own spinner turns only after 0.4 s, so every method relies on
    // this loop alike.
    let animating = settings.animate;
    const frame = () => {
      if (animating) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const trace: { what: string; t0: number; t1: number }[] = (w.__benchTrace = []);
    const started = performance.now();
    try {
      const out: any = await runs[method](file);
      const ended = performance.now();
      peak = Math.max(peak, heap());
      await new Promise((resolve) => setTimeout(resolve, 0));
      for (const e of longTaskObserver.takeRecords()) {
        longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
      }
      const longestTask = Math.max(
        0,
        ...longTasks.filter((t) => t.end > started && t.start < ended).map((t) => t.end - t.start),
      );
      w.__benchTrace = null;
      w.__benchOutputs[`${method}:${name}`] = out.blob;
      return {
        ms: out.ms,
        bytes: out.blob.size as number,
        type: out.blob.type as string,
        heapBase: base,
        heapPeak: peak,
        longestTask,
        viaWorker: out.viaWorker,
        workerError: out.workerError,
        phases: trace.map(({ what, t0, t1 }) => ({ what, t0: t0 - started, t1: t1 - started })),
      };
    } finally {
      animating = false;
      clearInterval(sample);
      w.__benchTrace = null;
    }
  };

  /** What the last output of `method` for `name` is: its magic bytes, its size, the colours at `probes`. */
  w.__benchCheck = async (method: string, name: string, probes: { x: number; y: number }[]) => {
    const blob: Blob = w.__benchOutputs[`${method}:${name}`];
    const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
    const magic =
      head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff
        ? 'jpeg'
        : head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47
          ? 'png'
          : 'unknown';
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const { width, height } = bitmap;
    const canvas = document.createElement('canvas');
    canvas.width = 200;
    canvas.height = Math.max(1, Math.round((200 * height) / width));
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const colours = probes.map(({ x, y }) => {
      const px = Math.round(x * canvas.width) - 2;
      const py = Math.round(y * canvas.height) - 2;
      const data = context.getImageData(px, py, 5, 5).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      return sum.map((s) => Math.round(s / 25));
    });
    return { magic, width, height, colours };
  };
}
