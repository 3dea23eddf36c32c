/**
 * Replay (replay.test.ts) checks that the code issues the same kinds of commands in the same order
 * as each committed history, but not their arguments. This replays every history with a recorder
 * of the activities, local activities and timers the code schedules, and checks that
 * - the timers have the durations the history shows;
 * - every command, arguments included, is the one `commands.json` next to the histories lists (a
 *   digest of its JSON). The histories themselves cannot say: arguments have grown since the older
 *   ones were recorded (fields the activities treat as absent before, like `outputs`).
 * New recordings are listed with `RECORD_COMMANDS=1 npm test -- --selectProjects integration
 * --testPathPatterns replay-arguments`; a change meant to alter what running journeys send (and
 * guarded for them, see replay.test.ts) removes the entries it changes and lists them again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '@levensloop/temporal';
import { buildWorkflowBundle } from '../../apps/worker/src/workflow-bundle';
import { testTemporalConfig } from '../support/temporal';
import type { RecordedCommand } from '../support/command-recorder';

jest.setTimeout(120_000);

const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const listFile = path.join(dir, 'commands.json');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.history.bin')).sort();

const digest = (args: string[]) => createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 16);
const describe = (c: RecordedCommand) => (c.kind === 'timer' ? `timer ${c.ms}` : `${c.kind} ${c.type} ${digest(c.args)}`);

/** The timer durations a history shows, in order. */
function timersIn(history: temporal.api.history.v1.IHistory): number[] {
  return (history.events ?? []).flatMap((event) => {
    const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
    return timeout ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)] : [];
  });
}

test('every committed history replays with the same commands and arguments', async () => {
  const workflowBundle = await buildWorkflowBundle(undefined, { workflowInterceptorModules: [require.resolve('../support/command-recorder')] });
  const listed: Record<string, string[]> = fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : {};
  const issued: Record<string, string[]> = {};
  for (const file of files) {
    const workflowId = file.replace(/\.history\.bin$/, '');
    const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(dir, file)));
    const commands: RecordedCommand[] = [];
    const sinks = { commands: { add: { fn: (_info: unknown, command: RecordedCommand) => void commands.push(command), callDuringReplay: true } } };
    await Worker.runReplayHistory({ workflowBundle, replayName: 'arguments', sinks, dataConverter: dataConverter(testTemporalConfig()) }, history, workflowId);
    expect({ workflowId, timers: commands.flatMap((c) => (c.kind === 'timer' ? [c.ms] : [])) }).toEqual({ workflowId, timers: timersIn(history) });
    issued[workflowId] = commands.map(describe);
  }
  if (process.env.RECORD_COMMANDS) {
    // Lists histories not listed yet; a listed one keeps its list (a deliberate change removes its entry first).
    for (const [workflowId, commands] of Object.entries(issued)) listed[workflowId] ??= commands;
    fs.writeFileSync(listFile, `${JSON.stringify(Object.fromEntries(Object.entries(listed).sort()), null, 2)}\n`);
  }
  expect(issued).toEqual(listed);
  // The recorder saw the work (a recorder that saw nothing would compare nothing).
  expect(Object.values(issued).flat().filter((c) => c.startsWith('activity ')).length).toBeGreaterThanOrEqual(30);
});
