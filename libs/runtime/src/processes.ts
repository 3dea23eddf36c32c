import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { stopChild } from './temporal-dev-server';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Graceful stop: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** Sends a signal and waits for the exit (e.g. SIGKILL to simulate a crash). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Polled until it answers 2xx. */
  readyUrl?: string;
  readyTimeoutMs?: number;
  /** Keep only the last lines of output (shown if the process fails to start) instead of printing them. */
  quiet?: boolean;
}

/** Starts a Node script as a child process, prefixes its output, and waits until it is ready. */
export async function startNodeProcess(options: StartProcessOptions): Promise<ManagedProcess> {
  // CPU_PROFILE_DIR=dir: each process (and thread) writes V8 CPU profiles under dir/<name> when
  // it stops, for profiling a benchmark run (open the .cpuprofile files in Chrome DevTools).
  const profile = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.CPU_PROFILE_DIR, options.name.replace(/[^\w-]/g, '_'))}`] : [];
  const child = spawn(process.execPath, [...profile, options.script, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 60) recent.shift();
      if (!options.quiet) process.stdout.write(`[${options.name}] ${line}\n`);
    });
  }
  const managed: ManagedProcess = {
    name: options.name,
    child,
    stop: () => stopChild(child),
    kill: (signal) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  if (options.readyUrl) {
    try {
      await waitForHttp(options.readyUrl, options.readyTimeoutMs ?? 60_000, child);
    } catch (err) {
      await managed.kill('SIGKILL');
      throw new Error(`${options.name} did not become ready: ${(err as Error).message}\n--- last output of ${options.name} ---\n${recent.join('\n')}`);
    }
  }
  return managed;
}

export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}
