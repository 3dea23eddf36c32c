import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { DEFAULT_RESTART_POLICY, nextRestartDelay, superviseNodeProcess } from './supervisor';

const dir = mkdtempSync(path.join(tmpdir(), 'supervisor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Counts its runs in a file; the first `DIES` runs exit with code 3 at once, later ones stay up.
const script = path.join(dir, 'flaky.js');
writeFileSync(
  script,
  `const fs = require('node:fs');
   const file = process.env.COUNT_FILE;
   const runs = (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0) + 1;
   fs.writeFileSync(file, String(runs));
   if (runs <= Number(process.env.DIES)) setTimeout(() => process.exit(3), 20);
   else setInterval(() => {}, 1000);`,
);

const until = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('restart backoff', () => {
  it('starts at 1 s, doubles per quick death up to 30 s, and starts again at 1 s after a stable minute', () => {
    const p = DEFAULT_RESTART_POLICY;
    const delays: number[] = [];
    let delay: number | undefined;
    for (let i = 0; i < 7; i++) delays.push((delay = nextRestartDelay(p, delay, 500)));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(nextRestartDelay(p, 30000, 59_999)).toBe(30000);
    expect(nextRestartDelay(p, 30000, 60_000)).toBe(1000);
  });
});

describe('superviseNodeProcess', () => {
  it('restarts a child that dies, says so and when it comes back, and stops for good on stop()', async () => {
    const countFile = path.join(dir, 'count');
    const lines: string[] = [];
    const supervised = await superviseNodeProcess(
      { name: 'flaky', script, env: { COUNT_FILE: countFile, DIES: '2' }, quiet: true },
      { initialDelayMs: 50, maxDelayMs: 1000, stableAfterMs: 60_000, log: (line) => lines.push(line) },
    );
    try {
      await until('two restarts', () => supervised.restarts === 2);
      await until('the third run', () => readFileSync(countFile, 'utf8') === '3');
      const third = supervised.current.child;
      expect(third.exitCode).toBeNull();
      expect(lines.filter((l) => l.includes('exited'))).toEqual([
        expect.stringMatching(/^\[supervisor\] flaky exited \(code 3\) after [\d.]+ s; restarting in 50 ms \(at \d\d:\d\d:\d\d UTC\)$/),
        expect.stringMatching(/flaky exited \(code 3\) after [\d.]+ s; restarting in 100 ms/),
      ]);
      expect(lines).toContain('[supervisor] flaky restarted (restart 2)');
    } finally {
      await supervised.stop();
    }
    expect(supervised.current.child.exitCode !== null || supervised.current.child.signalCode !== null).toBe(true);
    // Stopped on purpose: no further start.
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(countFile, 'utf8')).toBe('3');
    expect(supervised.restarts).toBe(2);
  });

  it('doubles the wait while the child keeps dying', async () => {
    const countFile = path.join(dir, 'count-doubling');
    const lines: string[] = [];
    const supervised = await superviseNodeProcess(
      { name: 'dying', script, env: { COUNT_FILE: countFile, DIES: '4' }, quiet: true },
      { initialDelayMs: 40, maxDelayMs: 160, log: (line) => lines.push(line) },
    );
    try {
      await until('four restarts', () => supervised.restarts === 4);
      const waits = lines.filter((l) => l.includes('exited')).map((l) => /restarting in (\d+ m?s)/.exec(l)![1]);
      expect(waits).toEqual(['40 ms', '80 ms', '160 ms', '160 ms']);
    } finally {
      await supervised.stop();
    }
    expect(existsSync(countFile)).toBe(true);
  });

  it('does not schedule another restart when a restart fails after stop()', async () => {
    // The first run answers on PORT and dies; the second never answers and exits a second later.
    const readyScript = path.join(dir, 'ready-once.js');
    writeFileSync(
      readyScript,
      `const fs = require('node:fs');
       const file = process.env.COUNT_FILE;
       const runs = (fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0) + 1;
       fs.writeFileSync(file, String(runs));
       if (runs === 1) {
         const server = require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT));
         setTimeout(() => process.exit(3), 300);
       } else setTimeout(() => process.exit(4), 1000);`,
    );
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const countFile = path.join(dir, 'count-stop');
    const lines: string[] = [];
    const supervised = await superviseNodeProcess(
      { name: 'once', script: readyScript, env: { COUNT_FILE: countFile, PORT: String(port) }, readyUrl: `http://127.0.0.1:${port}/`, readyTimeoutMs: 10_000, quiet: true },
      { initialDelayMs: 20, log: (line) => lines.push(line) },
    );
    await until('the second run', () => existsSync(countFile) && readFileSync(countFile, 'utf8') === '2');
    await supervised.stop(); // waits for the pending start, which fails when the second run exits
    expect(lines.filter((l) => l.includes('restarting in'))).toEqual([expect.stringContaining('once exited (code 3)')]);
    expect(readFileSync(countFile, 'utf8')).toBe('2');
  });
});
