import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from '@temporalio/client';
import type { TemporalConfig } from '@levensloop/config';
import { connectOperator } from '@levensloop/temporal';
import { freePort, log } from './ports';
import { resolveTemporalCli } from './temporal-cli';

/** Search attributes the journeys use (see libs/contracts/src/workflow). */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'KeywordList' | 'Datetime'> = {
  LevensloopLifeEvent: 'Keyword',
  LevensloopStatus: 'Keyword',
  LevensloopAgencies: 'KeywordList',
  LevensloopNextDue: 'Datetime',
  LevensloopSubject: 'Keyword',
};

export interface TemporalServer {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with a persistent SQLite file and our search attributes.
 * `uiCodecEndpoint`: the codec server the Web UI decodes payloads with (the gateway's `/codec`).
 */
export async function startTemporalDevServer(options: { projectRoot: string; dataDir: string; port?: number; uiPort?: number; namespace?: string; uiCodecEndpoint?: string }): Promise<TemporalServer> {
  const cli = resolveTemporalCli(options.projectRoot);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(options.dataDir, 'temporal.sqlite'),
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--namespace', namespace,
    '--log-level', 'error',
    // WAL with synchronous=NORMAL: durable across process crashes (not power loss), and far fewer
    // fsyncs than SQLite's default; the dev server is a development and test component.
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
  ];
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitForTemporal(address, namespace, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`The Temporal dev server did not become ready: ${(err as Error).message}\n${stderr}`);
  }
  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, stop: () => stopChild(child) };
}

async function waitForTemporal(address: string, namespace: string, child: ChildProcess | undefined, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      // The dev server on this machine: no TLS, no API key.
      const connection = await connectOperator({ profile: { address } }, { connectTimeout: 1000 });
      try {
        const ns = await connection.workflowService.describeNamespace({ namespace });
        const known = Object.keys(ns.config ? (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {} : {});
        const missing = Object.keys(SEARCH_ATTRIBUTES).filter((a) => !known.includes(a));
        if (missing.length === 0) return;
        lastError = new Error(`search attributes not yet registered: ${missing.join(', ')}`);
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw lastError instanceof Error ? lastError : new Error('timed out');
}

/** For an external cluster (its TLS and API key as configured): make sure our search attributes exist (idempotent). */
export async function ensureSearchAttributes(config: TemporalConfig): Promise<void> {
  const { address, namespace } = config;
  const connection = await connectOperator(config);
  try {
    const existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in existing));
    if (missing.length) {
      await addSearchAttributes(connection, missing, namespace);
      log(`registered search attributes ${missing.join(', ')} on ${address}`);
    }
  } finally {
    await connection.close();
  }
}

/** Registers these of our search attributes (the time-skipping test server knows only this call of the operator service). */
export async function addSearchAttributes(connection: Connection, names: string[] = Object.keys(SEARCH_ATTRIBUTES), namespace = 'default'): Promise<void> {
  const typeIds = { Keyword: 2, Datetime: 6, KeywordList: 7 } as const; // temporal.api.enums.v1.IndexedValueType
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(names.map((name) => [name, typeIds[SEARCH_ATTRIBUTES[name]]])) });
}

export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
