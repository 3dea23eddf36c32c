/**
 * `npm run bench`: the engine against hand-written Temporal code and the SDK's ceiling, start
 * latency, and many open journeys — in one run on this machine, with its own runtime.
 *   npm run bench -- [--quick] [--open N] [--rate R] [--journeys N] [--only growth,start,open] [--rest SECONDS]
 * The last line of stdout is one JSON object with the headline figures.
 */
import { findProjectRoot } from '../../libs/config/src/register-paths';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { readTemporalConfig } from '@levensloop/config';
import { connectClient } from '@levensloop/temporal';
import { Client as Pg } from 'pg';
import { freePort, startNodeProcess, startRuntime } from '@levensloop/runtime';
import { migrate } from '@levensloop/persistence';
import { cpuByComponent, cpuDelta } from './cpu';
import { growthChart, table, type GrowthRow } from './report';
import { startStack } from '../support/stack';

const root = findProjectRoot();
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const quick = flag('quick');
const settings = {
  ks: [1, 5, 20],
  journeys: num('journeys', quick ? 60 : 300),
  concurrency: 50,
  rate: num('rate', 50),
  rateSeconds: quick ? 6 : 20,
  /** Starts at the same rate before the measured ones, not counted (JIT, connections, plans). */
  warmupSeconds: quick ? 2 : 3,
  open: num('open', quick ? 1000 : 10_000),
  /** How long the platform is measured at rest (idle CPU per second). */
  restSeconds: num('rest', quick ? 10 : 30),
  /** The phases to run (all by default): one phase alone is quicker to iterate on or profile. */
  only: new Set((argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : 'growth,start,open').split(',')),
};
const PHASES = ['growth', 'start', 'open'];
const unknownPhase = [...settings.only].find((p) => !PHASES.includes(p));
if (unknownPhase) {
  console.error(`Unknown phase '${unknownPhase}' for --only: choose from ${PHASES.join(', ')}.`);
  process.exit(2);
}

const log = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};
const rssMiB = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

/** Runs `work` for each item with at most `limit` at a time, ticking a progress bar. */
async function pool<T, R>(items: T[], limit: number, label: string, work: (item: T) => Promise<R>): Promise<R[]> {
  const bar = new SingleBar({ format: `${label.padEnd(34)} [{bar}] {value}/{total} {duration}s`, stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
  bar.start(items.length, 0);
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
        bar.increment();
      }
    }),
  );
  bar.stop();
  return results;
}

async function main() {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'levensloop-bench-'));
  const runtime = await startRuntime({ projectRoot: root, dataDir });
  const stopAll: Array<() => Promise<void>> = [];
  try {
    await migrate(runtime.migrationDatabaseUrl);
    // The whole platform as `npm start` runs it (sandbox with its registers and channels, worker,
    // gateway, and the dispatcher that delivers messages and dossier statuses), plus the
    // reference worker for the ceiling and the hand-written workflows.
    process.env.TEMPORAL_ADDRESS = runtime.temporalAddress;
    const stack = await startStack(runtime.databaseUrl, 'bench', { dispatcher: true });
    const { gatewayUrl, sandboxUrl } = stack;
    const benchWorkerPort = await freePort();
    const benchWorker = await startNodeProcess({
      name: 'bench-worker',
      script: path.join(root, 'dist', 'test', 'bench', 'bench-worker.js'),
      env: { ...stack.env, TEMPORAL_TASK_QUEUE: 'bench-reference', WORKER_PORT: String(benchWorkerPort) },
      readyUrl: `http://127.0.0.1:${benchWorkerPort}/health`,
      quiet: true,
    });
    stopAll.push(() => benchWorker.stop(), () => stack.stop());

    const admin = { authorization: `Bearer ${await stack.token({ role: 'catalog-admin', sub: 'bench-admin' })}`, 'content-type': 'application/json' };
    const caseworker = { authorization: `Bearer ${await stack.token({ role: 'caseworker', agency: 'bench', sub: 'bench-cw' })}`, 'content-type': 'application/json' };
    // node:http with kept-alive connections: the load generator shares the machine with what it
    // measures, and costs about a third of the CPU of fetch per request.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const post = (url: string, headers: Record<string, string>, body: unknown) =>
      new Promise<Record<string, any>>((resolve, reject) => {
        const payload = JSON.stringify(body);
        const req = http.request(`${gatewayUrl}${url}`, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if ((res.statusCode ?? 500) >= 300) reject(new Error(`POST ${url}: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text));
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });

    // The synthetic catalog: K chained automatic steps (K = 1, 5, 20) and one caseworker step.
    const titles = { nl: 'Benchmark' };
    await post('/agencies', admin, { code: 'bench', names: titles, endpointHosts: [stack.sandboxHost] });
    const maxK = Math.max(...settings.ks);
    for (let i = 1; i <= maxK; i++) {
      const step = await post('/agencies/bench/steps', admin, { key: `step-${i}`, kind: 'automatic', titles, endpoint: `${sandboxUrl}/agencies/bench/step-${i}`, serviceNorm: { target: 'P1D' } });
      await post(`/agencies/bench/steps/step-${i}/versions/${step.version}/publish`, admin, {});
    }
    const review = await post('/agencies/bench/steps', admin, { key: 'review', kind: 'caseworker', titles, serviceNorm: { target: 'P10D', warn: 'P5D', escalate: 'P15D' } });
    await post(`/agencies/bench/steps/review/versions/${review.version}/publish`, admin, {});
    for (const k of settings.ks) {
      const nodes = Array.from({ length: k }, (_, i) => ({ key: `s${i + 1}`, step: { agency: 'bench', key: `step-${i + 1}`, version: 1 }, ...(i ? { dependsOn: [`s${i}`] } : {}) }));
      await post('/life-events', admin, { key: `bench-k${k}`, audience: 'citizen', titles, nodes });
      await post(`/life-events/bench-k${k}/versions/1/publish`, admin, {});
    }
    // Journeys that wait for a caseworker: for the open-journeys phase, and for start latency
    // (so that it measures the start path, not the machine running thousands of steps meanwhile).
    for (const key of ['bench-open', 'bench-start']) {
      await post('/life-events', admin, { key, audience: 'citizen', titles, nodes: [{ key: 'review', step: { agency: 'bench', key: 'review', version: 1 } }] });
      await post(`/life-events/${key}/versions/1/publish`, admin, {});
    }

    const pg = new Pg({ connectionString: runtime.databaseUrl });
    pg.on('error', () => undefined); // PostgreSQL stopping under a failed run must not mask its error
    await pg.connect();
    /** Waits until the dispatcher has delivered every message and dossier status written so far. */
    const drainOutbox = async () => {
      const t = Date.now();
      while (Date.now() - t < 120_000) {
        const { rows } = await pg.query(
          `SELECT (SELECT count(*) FROM notifications WHERE fanned_out_at IS NULL)
                + (SELECT count(*) FROM notification_deliveries WHERE status IN ('queued', 'temporary_failure') OR (status = 'sending' AND channel <> 'sms'))
                + (SELECT count(*) FROM dossier_status_outbox WHERE status = 'pending') AS n`,
        );
        if (Number(rows[0].n) === 0) break;
        await sleep(200);
      }
      return (Date.now() - t) / 1000;
    };
    // Encrypted like the engine's payloads, so both sides pay for the codec.
    const client = await connectClient(readTemporalConfig({ ...process.env, TEMPORAL_ADDRESS: runtime.temporalAddress }, []));
    const { connection } = client;
    const subject = { type: 'person' as const, id: '85073003328' };

    /** Starts n journeys of one variant and waits for all; journeys/s over the whole batch. */
    const cpuRows: Array<Array<string | number>> = [];
    const cpuComponents = ['temporal', 'postgres', 'gateway', 'worker', 'dispatcher', 'bench-worker', 'sandbox', 'driver'];
    const runVariant = async (variant: GrowthRow['variant'], k: number, n: number): Promise<GrowthRow> => {
      const cpuBefore = cpuByComponent();
      const t0 = Date.now();
      const latencies = await pool(Array.from({ length: n }, (_, i) => i), settings.concurrency, `${variant} K=${k}`, async () => {
        const begin = Date.now();
        let workflowId: string;
        if (variant === 'engine') {
          const journey = await post('/journeys', { ...admin, 'idempotency-key': randomUUID() }, { lifeEvent: { key: `bench-k${k}` }, subject, reason: 'benchmark' });
          workflowId = `journey-${journey.id}`;
        } else if (variant === 'ceiling') {
          workflowId = `ceiling-${randomUUID()}`;
          await client.workflow.start('ceilingWorkflow', { workflowId, taskQueue: 'bench-reference', args: [k] });
        } else {
          const journeyId = randomUUID();
          workflowId = `handwritten-${journeyId}`;
          const endpoints = Array.from({ length: k }, (_, i) => `${sandboxUrl}/agencies/bench/step-${i + 1}`);
          await client.workflow.start('handwrittenWorkflow', { workflowId, taskQueue: 'bench-reference', args: [{ journeyId, endpoints, subject }] });
        }
        await client.workflow.getHandle(workflowId).result();
        return { ms: Date.now() - begin, workflowId };
      });
      const seconds = (Date.now() - t0) / 1000;
      // The citizen is told after the journey's work: the dispatcher's share is part of the cost.
      const drainSeconds = variant === 'ceiling' ? 0 : await drainOutbox();
      const cpu = cpuDelta(cpuBefore, cpuByComponent(), n);
      cpuRows.push([variant, k, ...cpuComponents.map((c) => cpu[c] ?? 0)]);
      const sample = await client.workflow.getHandle(latencies[0].workflowId).describe();
      return {
        variant,
        k,
        journeys: n,
        journeysPerSecond: n / seconds,
        deliveredPerSecond: n / (seconds + drainSeconds),
        meanLatencyMs: latencies.reduce((s, l) => s + l.ms, 0) / n,
        historyEvents: sample.historyLength,
        stateTransitions: Number(sample.raw.workflowExecutionInfo?.stateTransitionCount ?? 0),
      };
    };

    // The platform at rest (polling, timers, background writers): CPU milliseconds per second.
    // At low start rates this share weighs on the CPU per start.
    {
      const restSeconds = settings.restSeconds;
      log(`\nAt rest for ${restSeconds} s`);
      // What the setup set off (catalog writes, the first sweeps) settles first.
      await sleep(3000);
      const before = cpuByComponent();
      await sleep(restSeconds * 1000);
      const cpu = cpuDelta(before, cpuByComponent(), restSeconds);
      cpuRows.push(['at rest, per second', '', ...cpuComponents.map((c) => cpu[c] ?? 0)]);
    }

    const growth: GrowthRow[] = [];
    if (settings.only.has('growth')) {
      log(`\nGrowth: ${settings.journeys} journeys per variant and K, ${settings.concurrency} at a time`);
      for (const k of settings.ks) {
        const n = k === 20 ? Math.max(20, Math.round(settings.journeys / 3)) : settings.journeys;
        for (const variant of ['ceiling', 'handwritten', 'engine'] as const) growth.push(await runVariant(variant, k, n));
      }
    }

    // Start latency at a steady rate: over HTTP through the gateway, and the floor of the same
    // rate of bare workflow starts straight to Temporal over gRPC (what no engine can beat here).
    /**
     * `settle` waits until the work the starts set off is done, so that the CPU per start counts
     * all of it; how long that took after the last start says whether the platform kept up.
     */
    const steadyStarts = async (label: string, startOne: () => Promise<unknown>, settle: (startedSoFar: number) => Promise<unknown>) => {
      /** `count` starts at the steady rate; their latencies. */
      const paced = async (count: number, onStart: () => void) => {
        const latencies: number[] = [];
        const t0 = Date.now();
        await Promise.all(
          Array.from({ length: count }, async (_, i) => {
            await sleep(Math.max(0, t0 + (i * 1000) / settings.rate - Date.now()));
            const begin = performance.now();
            await startOne();
            latencies.push(performance.now() - begin);
            onStart();
          }),
        );
        return latencies;
      };
      log(`\n${label}: ${settings.rate} starts per second for ${settings.rateSeconds} s, after ${settings.warmupSeconds} s of warm-up`);
      const warmup = settings.rate * settings.warmupSeconds;
      await paced(warmup, () => undefined);
      await settle(warmup);
      const total = settings.rate * settings.rateSeconds;
      const bar = new SingleBar({ format: `${label.padEnd(34)} [{bar}] {value}/{total}`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
      bar.start(total, 0);
      const cpuBefore = cpuByComponent();
      const latencies = await paced(total, () => bar.increment());
      bar.stop();
      const lastStart = Date.now();
      await settle(warmup + total);
      const settleSeconds = (Date.now() - lastStart) / 1000;
      log(`${label}: the work they set off was done ${settleSeconds.toFixed(1)} s after the last start`);
      const cpu = cpuDelta(cpuBefore, cpuByComponent(), total);
      cpuRows.push([label, '', ...cpuComponents.map((c) => cpu[c] ?? 0)]);
      return { latencies, settleSeconds };
    };
    let bareStartLatencies: number[] = [];
    let startLatencies: number[] = [];
    let startSettleSeconds: number | null = null;
    if (settings.only.has('start')) {
      // The reference worker's first workflow task of a waiting workflow is all a bare start sets off.
      bareStartLatencies = (
        await steadyStarts(
          'bare Temporal starts (gRPC)',
          () => client.workflow.start('waitingWorkflow', { workflowId: `waiting-${randomUUID()}`, taskQueue: 'bench-reference', args: [] }),
          () => sleep(1000),
        )
      ).latencies;
      await sleep(2000);
      // A journey start sets off its first workflow task, the projection with the task, the
      // "journey started" message and the dossier status: done when every task is there and the
      // outbox is empty.
      const http = await steadyStarts(
        'HTTP journey starts',
        () => post('/journeys', { ...admin, 'idempotency-key': randomUUID() }, { lifeEvent: { key: 'bench-start' }, subject, reason: 'benchmark' }),
        async (startedSoFar) => {
          const tasks = `SELECT count(*)::int AS n FROM tasks t JOIN journeys j ON j.id = t.journey_id WHERE j.life_event_key = 'bench-start'`;
          while (Number((await pg.query(tasks)).rows[0].n) < startedSoFar) await sleep(100);
          await drainOutbox();
        },
      );
      startLatencies = http.latencies;
      startSettleSeconds = Number(http.settleSeconds.toFixed(1));
    }

    /** N journeys waiting on a caseworker task: start rate, memory, PostgreSQL size; then all tasks completed. */
    const openJourneys = async () => {
      log(`\nMany open journeys: ${settings.open} waiting on a caseworker task`);
      const dbSize = async () => Number((await pg.query(`SELECT pg_database_size(current_database()) AS s`)).rows[0].s);
      const sizeBefore = await dbSize();
      const openStarted = Date.now();
      await pool(Array.from({ length: settings.open }, (_, i) => i), settings.concurrency, 'start open journeys', () =>
        post('/journeys', { ...admin, 'idempotency-key': randomUUID() }, { lifeEvent: { key: 'bench-open' }, subject, reason: 'benchmark' }),
      );
      const openStartSeconds = (Date.now() - openStarted) / 1000;
      const openTasks = `FROM tasks t JOIN journeys j ON j.id = t.journey_id WHERE j.life_event_key = 'bench-open' AND t.status = 'open'`;
      while (Number((await pg.query(`SELECT count(*)::int AS n ${openTasks}`)).rows[0].n) < settings.open) await sleep(500);
      await sleep(2000);
      const workerRss = rssMiB(stack.worker.child.pid!);
      const gatewayRss = rssMiB(stack.gateway.child.pid!);
      const bytesPerJourney = ((await dbSize()) - sizeBefore) / settings.open;
      const taskIds = (await pg.query(`SELECT t.id ${openTasks}`)).rows.map((r) => r.id as string);
      const completeStarted = Date.now();
      await pool(taskIds, settings.concurrency, 'complete their tasks', (id) => post(`/tasks/${encodeURIComponent(id)}/complete`, caseworker, { outcome: 'approve' }));
      for (;;) {
        const { rows } = await pg.query(`SELECT count(*)::int AS n FROM journeys WHERE life_event_key = 'bench-open' AND status = 'completed'`);
        if (rows[0].n >= settings.open) break;
        await sleep(250);
      }
      const completeSeconds = (Date.now() - completeStarted) / 1000;
      return {
        openJourneys: settings.open,
        workerRssMiB: Math.round(workerRss),
        gatewayRssMiB: Math.round(gatewayRss),
        openStartPerSecond: Number((settings.open / openStartSeconds).toFixed(1)),
        taskCompletionsPerSecond: Number((settings.open / completeSeconds).toFixed(1)),
        postgresBytesPerOpenJourney: Math.round(bytesPerJourney),
      };
    };
    const open = settings.only.has('open') ? await openJourneys() : undefined;
    await pg.end();
    await connection.close();

    // --- report ---------------------------------------------------------------------------------
    const at = (variant: GrowthRow['variant'], k: number) => growth.find((g) => g.variant === variant && g.k === k);
    const ratio = (a?: GrowthRow, b?: GrowthRow) => (a && b ? Number((a.journeysPerSecond / b.journeysPerSecond).toFixed(3)) : null);
    const ms = (values: number[], p: number) => (values.length ? Number(percentile(values, p).toFixed(1)) : null);
    // A phase left out with --only reports null for its figures.
    const headline = {
      engineVsHandwritten: ratio(at('engine', 5), at('handwritten', 5)),
      engineVsCeiling: ratio(at('engine', 5), at('ceiling', 5)),
      startP50Ms: ms(startLatencies, 0.5),
      startP99Ms: ms(startLatencies, 0.99),
      bareTemporalStartP50Ms: ms(bareStartLatencies, 0.5),
      bareTemporalStartP99Ms: ms(bareStartLatencies, 0.99),
      startSettleSeconds,
      openJourneys: open?.openJourneys ?? null,
      workerRssMiB: open?.workerRssMiB ?? null,
      gatewayRssMiB: open?.gatewayRssMiB ?? null,
      openStartPerSecond: open?.openStartPerSecond ?? null,
      taskCompletionsPerSecond: open?.taskCompletionsPerSecond ?? null,
      postgresBytesPerOpenJourney: open?.postgresBytesPerOpenJourney ?? null,
    };
    console.log(`\nLevensloop benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${quick ? 'quick' : 'default'} run\n`);
    if (growth.length) console.log(table(['variant', 'K', 'journeys', 'journeys/s', 'incl. delivery /s', 'mean latency ms', 'history events', 'state transitions'], growth.map((g) => [g.variant, g.k, g.journeys, g.journeysPerSecond, g.deliveredPerSecond, Math.round(g.meanLatencyMs), g.historyEvents, g.stateTransitions])));
    console.log(`\nCPU milliseconds per journey, by component:\n${table(['variant', 'K', ...cpuComponents], cpuRows)}`);
    console.log(`\n${table(['figure', 'value'], Object.entries(headline).map(([k, v]) => [k, v ?? '–']))}`);
    const resultsDir = path.join(root, 'test', 'bench', 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    fs.writeFileSync(path.join(resultsDir, `bench-${stamp}.json`), JSON.stringify({ date: new Date().toISOString(), quick, settings: { ...settings, only: [...settings.only] }, machine: { cores: os.cpus().length, memGiB: os.totalmem() / 2 ** 30, node: process.version }, growth, startLatencyMs: { p50: headline.startP50Ms, p99: headline.startP99Ms, count: startLatencies.length }, headline }, null, 2));
    if (growth.length) fs.writeFileSync(path.join(resultsDir, `bench-${stamp}.svg`), growthChart(growth, 'Journeys per second by number of automatic steps'));
    console.log(`\nresults: ${path.relative(process.cwd(), resultsDir)}/bench-${stamp}.{json,svg} (took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    console.log(JSON.stringify(headline));
  } finally {
    for (const stop of stopAll.reverse()) await stop();
    await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
