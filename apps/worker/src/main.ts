// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
// Before anything that loads http or pg: the instrumentation patches them as they load.
import { tracing } from './tracing';
import 'reflect-metadata';
import * as http from 'node:http';
import { Runtime } from '@temporalio/worker';
import { loadStartupConfig } from '@levensloop/config';
import { createDataSource } from '@levensloop/persistence';
import { createJourneyWorker } from './journey-worker';

/** The worker process: runs journey workflows and their activities until SIGTERM/SIGINT. */
async function main() {
  const config = await loadStartupConfig();
  const dataSource = createDataSource(config.databaseUrl, { extra: { max: 20 } });
  await dataSource.initialize();
  const worker = await createJourneyWorker(config, dataSource, tracing);

  // A small health endpoint so process supervisors (and the start script) can see readiness.
  const port = config.worker.port;
  const health = http.createServer((req, res) => {
    const running = worker.getState() === 'RUNNING';
    res.writeHead(running ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: running ? 'ok' : worker.getState().toLowerCase(), memoryRss: process.memoryUsage().rss }));
  });
  health.listen(port, config.worker.host ?? '127.0.0.1');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      Runtime.instance().logger.info('worker stopping', { signal, graceMs: config.shutdownGraceMs });
      worker.shutdown();
    });
  }
  const cpuProfile = config.worker.cpuProfile;
  const profile = cpuProfile ? await startCpuProfile() : undefined;
  await worker.run();
  if (cpuProfile) await profile?.(cpuProfile);
  health.close();
  await Promise.allSettled([dataSource.destroy(), worker.connection?.close(), tracing.shutdown()]);
  process.exit(0);
}

/** WORKER_CPU_PROFILE=file.cpuprofile: a V8 CPU profile of the whole run, for Chrome DevTools. */
async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const inspector = await import('node:inspector/promises');
  const fs = await import('node:fs');
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
  };
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
