// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
// Before http, pg and the channels load: the instrumentation patches them as they load.
import { tracing } from './tracing';
import * as http from 'node:http';
import { pino } from 'pino';
import { ConfigError, loadStartupConfig, redactingLogHooks } from '@levensloop/config';
import { createSourceClient } from '@levensloop/sources';
import { traceLogFields } from '@levensloop/telemetry';
import { Dispatcher } from './dispatcher';
import { createMetrics } from './metrics';

/** The dispatcher process: notifications and dossier status out of the outboxes, until SIGTERM/SIGINT. */
async function main() {
  let config;
  try {
    config = await loadStartupConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      pino({ name: 'dispatcher' }).fatal({ problems: err.problems }, err.message);
      process.exit(1);
    }
    throw err;
  }
  // Recipients, addresses and register errors pass through the redactor: no number or address in clear.
  // A line written while sending a message names the trace of the journey that produced it.
  const logger = pino({ name: 'dispatcher', level: config.logLevel, hooks: redactingLogHooks(config.logPseudonymKey), mixin: traceLogFields });
  const dispatcher = new Dispatcher({ config, sources: createSourceClient(config.sources), logger });
  const metrics = createMetrics(dispatcher);
  dispatcher.useMetrics(metrics);
  await dispatcher.start();

  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(err.message);
        },
      );
      return;
    }
    // Healthy while the loop keeps turning (a cycle at least every poll interval, with room for slow sends).
    const stale = Date.now() - dispatcher.lastCycleAt > Math.max(60_000, config.notifications.pollMs * 10);
    res.writeHead(stale ? 503 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: stale ? 'stalled' : 'ok', memoryRss: process.memoryUsage().rss }));
  });
  server.listen(config.notifications.port, config.notifications.host ?? '127.0.0.1');
  logger.info({ port: config.notifications.port }, 'dispatcher running');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'dispatcher stopping');
      server.close();
      dispatcher.stop().then(
        () => tracing.shutdown().finally(() => process.exit(0)),
        (err: Error) => {
          logger.error({ err: err.message }, 'dispatcher did not stop cleanly');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err: unknown) => {
  pino({ name: 'dispatcher' }).fatal({ err }, 'dispatcher failed to start');
  process.exit(1);
});
