// The exchange's site on another origin than the app's, for the iframe tests: serves the demo host pages of
// examples/host at /demo/, as the reference backend does in dev mode, with `{{APP_URL}}` standing for the app.
//
//   node host-site.mjs <port> <app URL>
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const [port, appURL] = process.argv.slice(2);
const demoDir = join(import.meta.dirname, '..', 'examples', 'host');
const types = { html: 'text/html', css: 'text/css', js: 'text/javascript' };

createServer(async (request, response) => {
  const path = new URL(request.url, 'http://host').pathname;
  const file =
    path === '/demo/' ? 'index.html' : path === '/demo/frame/' ? 'frame.html' : path.replace(/^\/demo\//, '');
  if (!/^[a-z-]+\.(html|css|js)$/.test(file)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  try {
    const body = (await readFile(join(demoDir, file), 'utf8')).replaceAll('{{APP_URL}}', appURL);
    response.writeHead(200, { 'content-type': `${types[file.split('.').pop()]}; charset=utf-8` }).end(body);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(Number(port), '127.0.0.1');
