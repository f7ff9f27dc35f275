// A webhook receiver for Gatehouse's browser tests: it keeps every POST it gets (headers and
// raw body) and lists them at GET /received. It answers 503 to the first POST, so the portal
// has to retry once, and 200 afterwards — except that it answers 500 to every notification
// whose body names a sandbox `e2e-broken-<x>` until POST /mend?name=e2e-broken-<x> (a test
// and its retry use different names). Configured by HOOK_PORT
// (listens on 127.0.0.1). It checks nothing itself: the tests verify the signatures, as a
// real receiver would.
import http from 'node:http';

const port = Number(process.env.HOOK_PORT);
if (!port) {
  console.error('HOOK_PORT must be set');
  process.exit(2);
}
const received = [];
const mended = new Set();

http
  .createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(received));
      return;
    }
    if (req.method === 'POST' && req.url.startsWith('/mend?')) {
      mended.add(new URL(req.url, 'http://receiver').searchParams.get('name'));
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const broken = body.match(/e2e-broken-[a-z0-9]+/);
      const status = received.length === 0 ? 503 : broken && !mended.has(broken[0]) ? 500 : 200;
      received.push({ path: req.url, headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  })
  .listen(port, '127.0.0.1');
