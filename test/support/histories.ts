import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * With RECORD_HISTORIES=1, writes a journey's history as a fixture for the replay tests
 * (test/integration/replay.test.ts, replay-arguments.test.ts); RECORD_HISTORIES=<label> keeps
 * earlier recordings next to the new ones (e.g. RECORD_HISTORIES=v2 writes `<name>.v2.history.bin`).
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  // Failure stack traces name this machine's paths; replay does not need them.
  const strip = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'stackTrace' && typeof value === 'string') (node as Record<string, unknown>)[key] = '';
      else strip(value);
    }
  };
  strip(history);
  // Binary protobuf: the SDK's proto-JSON helpers trip over two copies of protobufjs in the tree.
  const label = process.env.RECORD_HISTORIES === '1' ? '' : `.${process.env.RECORD_HISTORIES}`;
  fs.writeFileSync(path.join(__dirname, '..', 'fixtures', 'histories', `${name}${label}.history.bin`), temporal.api.history.v1.History.encode(history).finish());
}
