// The benchmark's reference worker (ceiling and hand-written workflows), a process of its own
// like the engine's worker, with the same worker settings.
import '../../libs/config/src/register-paths';
import * as http from 'node:http';
import * as path from 'node:path';
import { Pool } from 'pg';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { ConfigError, readTemporalConfig } from '@levensloop/config';
import { workerBase } from '@levensloop/temporal/worker';
import { createBenchActivities } from './bench-activities';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
  const problems: string[] = [];
  const temporal = readTemporalConfig(process.env, problems);
  if (problems.length) throw new ConfigError(problems);
  // Encrypted payloads, as the engine's worker has them.
  const base = await workerBase(temporal);
  const { connection } = base;
  const worker = await Worker.create({
    ...base,
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    workflowsPath: path.join(__dirname, '..', '..', '..', 'test', 'bench', 'workflows.ts'),
    activities: createBenchActivities(pool),
    maxConcurrentActivityTaskExecutions: 200,
    maxCachedWorkflows: 2000,
  });
  const health = http.createServer((_req, res) => {
    res.writeHead(worker.getState() === 'RUNNING' ? 200 : 503).end(JSON.stringify({ rss: process.memoryUsage().rss }));
  });
  health.listen(Number(process.env.WORKER_PORT), '127.0.0.1');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  await worker.run();
  health.close();
  await Promise.allSettled([pool.end(), connection.close()]);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
