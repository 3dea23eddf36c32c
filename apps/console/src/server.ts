import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as path from 'node:path';
import { createLogRedactor, type ConsoleConfig } from '@levensloop/config';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The console's static server: the built pages (dist/console), a runtime `config.json` saying
 * where the API and the issuer are, and index.html for every page path (the router runs in the
 * browser). It holds no data and calls nothing: the browser talks to the public API directly.
 */
export function createConsoleServer(config: ConsoleConfig, staticDir: string): Server {
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`The console is not built: ${path.join(staticDir, 'index.html')} is missing (run npm run build).`);
  }
  const redactor = createLogRedactor(config.logPseudonymKey);
  // Where the API and the issuer are, the console's client at the issuer and the claim names it reads.
  const runtimeConfig = JSON.stringify({ apiUrl: config.apiUrl, issuer: config.issuer, devSignIn: config.devSignIn, clientId: config.clientId, scope: config.scope, claims: config.claims && { ...config.claims, roleValues: config.claims.roleValues && Object.fromEntries(config.claims.roleValues) } });
  const index = readFileSync(path.join(staticDir, 'index.html'));
  const origin = (url: string) => new URL(url).origin;
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ${[...new Set([origin(config.apiUrl), origin(config.issuer)])].join(' ')}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-cache') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': cache, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('content-security-policy', csp);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, TYPES['.txt'], 'Method not allowed');
    const url = new URL(req.url ?? '/', 'http://console');
    if (url.pathname === '/health') return send(res, 200, TYPES['.json'], '{"status":"ok"}');
    if (url.pathname === '/config.json') return send(res, 200, TYPES['.json'], runtimeConfig);
    // Built files live under /assets and /messages; every other path is a page of the app
    // (page paths may hold dots, e.g. /tasks/<journey>.<step>).
    if (!/^\/(assets|messages)\/[^/]+$|^\/favicon\.svg$/.test(url.pathname)) return send(res, 200, TYPES['.html'], index);
    const ext = path.extname(url.pathname);
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, TYPES['.txt'], 'Bad request: the path is not valid percent-encoding');
    }
    if (decoded.includes('\0')) return send(res, 400, TYPES['.txt'], 'Bad request: the path holds a NUL byte');
    const file = path.normalize(path.join(staticDir, decoded));
    if (!file.startsWith(staticDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, TYPES['.txt'], 'Not found');
    // Hashed assets never change; the rest is revalidated.
    const cache = /-[A-Z0-9]{8}\.(js|css)$/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
    const gzipped = `${file}.gz`;
    const useGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && existsSync(gzipped);
    const served = useGzip ? gzipped : file;
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': cache,
      'content-length': statSync(served).size,
      vary: 'accept-encoding',
      ...(useGzip ? { 'content-encoding': 'gzip' } : {}),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(served)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  // An error in one request answers 500 (or ends that response) and never reaches the process.
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      handle(req, res);
    } catch (err) {
      // The path without its query (`?subject=` holds a national number), and the line through the
      // shared redactor, as every process logs.
      const pathOnly = (req.url ?? '').split('?')[0];
      console.error(redactor.text(`console: ${req.method} ${pathOnly}: ${err instanceof Error ? err.stack : String(err)}`));
      if (!res.headersSent) send(res, 500, TYPES['.txt'], 'Internal server error');
      else res.destroy();
    }
  }).on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
}
