/**
 * Replays committed journey histories against today's workflow code: a change that would break
 * running journeys (non-determinism) fails here. Re-record with
 * `RECORD_HISTORIES=<label> npm test -- --selectProjects integration` after a change that
 * diverges (guarded by JOURNEY_REVISION or patched()); earlier recordings stay and keep being replayed.
 * Histories recorded since the payload codec (`*.encrypted.*`) hold encrypted payloads (the
 * development key): they replay through the same data converter, the older ones pass through it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '@levensloop/temporal';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { testTemporalConfig } from '../support/temporal';

jest.setTimeout(60_000);

const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.history.bin'));

test('there are committed histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(6);
});

test('every committed history replays without non-determinism', async () => {
  const workflowBundle = await buildWorkflowBundle();
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.history\.bin$/, ''),
    history: temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file))),
  }));
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'journeys', dataConverter: dataConverter(testTemporalConfig()) }, histories)) results.push(result);
  expect(results.map((r) => ({ id: r.workflowId, error: r.error?.message }))).toEqual(histories.map((h) => ({ id: h.workflowId, error: undefined })));
});
