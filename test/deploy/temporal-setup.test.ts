/**
 * The Temporal setup Job's script, run as the Job runs it (sh with the temporal CLI) against the
 * real Temporal server of the test run, in a fresh namespace: it creates the namespace and the
 * search attributes journeys are started with, and a second run (every release) changes nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { resolveTemporalCli, SEARCH_ATTRIBUTES } from '@levensloop/runtime';
import { find, render, ROOT } from './support';

jest.setTimeout(180_000);

const address = process.env.TEMPORAL_ADDRESS;
/** temporal.api.enums.v1.IndexedValueType */
const TYPE_IDS: Record<string, number> = { Keyword: 2, Datetime: 6, KeywordList: 7 };

let connection: Connection;
let home: string;

beforeAll(async () => {
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run the deploy tier through `npm test`, which starts a Temporal server.');
  connection = await Connection.connect({ address });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'levensloop-temporal-setup-'));
});

afterAll(async () => {
  await connection?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

it('creates the namespace and the search attributes, and a second run leaves them as they are', async () => {
  const job = find(render('prod').objects, 'Job', 'levensloop-temporal-setup');
  const container = job.spec.template.spec.containers[0];
  expect(container.command).toEqual(['/bin/sh', '-ec']);
  const jobEnv = Object.fromEntries((container.env as Array<{ name: string; value?: string }>).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  const namespace = `deploy-setup-${Date.now()}`;
  const cli = resolveTemporalCli(ROOT);
  const run = () =>
    spawnSync('/bin/sh', ['-ec', container.args[0]], {
      encoding: 'utf8',
      env: {
        PATH: `${path.dirname(cli)}${path.delimiter}${process.env.PATH}`,
        HOME: home,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_RETENTION: jobEnv.TEMPORAL_RETENTION,
        SEARCH_ATTRIBUTES: jobEnv.SEARCH_ATTRIBUTES,
      },
    });

  const first = run();
  expect({ status: first.status, stderr: first.status === 0 ? '' : first.stderr }).toEqual({ status: 0, stderr: '' });
  const described = await connection.workflowService.describeNamespace({ namespace });
  expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 24 * 3600);
  const attributes = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) expect({ name, type: attributes[name] }).toEqual({ name, type: TYPE_IDS[type] });

  const second = run();
  expect(second.status).toBe(0);
  for (const name of Object.keys(SEARCH_ATTRIBUTES)) expect(second.stdout).toContain(`search attribute ${name} exists`);
});
