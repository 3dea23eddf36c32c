import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createConsoleServer } from './server';

const parent = mkdtempSync(path.join(tmpdir(), 'console-static-'));
const dir = path.join(parent, 'public');
mkdirSync(dir);
mkdirSync(path.join(dir, 'assets'));
mkdirSync(path.join(dir, 'messages'));
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(path.join(dir, 'assets', 'app-ABCD1234.js'), 'console.log(1)');
writeFileSync(path.join(dir, 'assets', 'app-ABCD1234.js.gz'), gzipSync('console.log(1)'));
writeFileSync(path.join(dir, 'messages', 'en.json'), '{"a":"b"}');
writeFileSync(path.join(parent, 'secret.txt'), 'secret');

const server = createConsoleServer({ port: 0, host: '127.0.0.1', apiUrl: 'http://127.0.0.1:3000', issuer: 'http://127.0.0.1:3100/oidc', devSignIn: true, logPseudonymKey: 'test-key' }, dir);
let base: string;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(parent, { recursive: true, force: true });
});

describe('console static server', () => {
  it('serves the runtime config and index.html for every page path, dots included', async () => {
    expect(await (await fetch(`${base}/config.json`)).json()).toEqual({ apiUrl: 'http://127.0.0.1:3000', issuer: 'http://127.0.0.1:3100/oidc', devSignIn: true });
    for (const page of ['/', '/journeys/0c5f6c1e-0000-4000-8000-000000000004', '/tasks/0c5f6c1e-0000-4000-8000-000000000004.permit.consent']) {
      const res = await fetch(`${base}${page}`);
      expect({ page, status: res.status, type: res.headers.get('content-type') }).toEqual({ page, status: 200, type: 'text/html; charset=utf-8' });
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:3000 http://127.0.0.1:3100");
    }
  });

  it('serves hashed assets gzipped and immutable, messages revalidated, and nothing outside its folder', async () => {
    const js = await fetch(`${base}/assets/app-ABCD1234.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1)');
    const messages = await fetch(`${base}/messages/en.json`);
    expect(messages.headers.get('cache-control')).toBe('no-cache');
    expect(await messages.json()).toEqual({ a: 'b' });
    expect((await fetch(`${base}/assets/missing-ABCD1234.js`)).status).toBe(404);
    expect((await fetch(`${base}/assets/..%2f..%2fsecret.txt`)).status).toBe(404);
    expect(await (await fetch(`${base}/assets/..%2f..%2fsecret.txt`)).text()).not.toContain('secret');
    expect((await fetch(`${base}/journeys`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 400 to a path that is not valid percent-encoding, and keeps serving', async () => {
    for (const bad of ['/assets/%', '/assets/%E0%A4%A', '/messages/%zz.json', '/assets/a%00.js']) {
      const res = await fetch(`${base}${bad}`);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    expect((await fetch(`${base}/config.json`)).status).toBe(200);
  });

  it('logs a request that fails without its query or a national number in it', async () => {
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      // An absolute-form target the URL parser refuses: the request fails inside the handler.
      const answer = await rawRequest('GET http://%zz/85073003328?subject=85073003328&x=1 HTTP/1.1\r\nHost: console\r\nConnection: close\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 500/);
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^console: GET http:\/\/%zz\/nn:[0-9a-f]{16}: /);
    expect(logged[0]).not.toContain('85073003328');
    expect(logged[0]).not.toContain('subject=');
  });
});

function rawRequest(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk)).on('end', () => resolve(answer)).on('error', reject);
  });
}
