import { ConfigError, readTemporalConfig } from '@levensloop/config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { log } from './ports';
import { ensureSearchAttributes, startTemporalDevServer } from './temporal-dev-server';

export interface Runtime {
  temporalAddress: string;
  temporalUiUrl?: string;
  /** What the processes connect as: a login in `levensloop_runtime` (it may only append to the logs). */
  databaseUrl: string;
  /** The owner, for migrations (and tests that set up data). */
  migrationDatabaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Temporal and PostgreSQL for the platform: the external ones named by TEMPORAL_ADDRESS and
 * DATABASE_URL (with MIGRATION_DATABASE_URL for the owner, else DATABASE_URL migrates too), or
 * else a Temporal dev server and an embedded PostgreSQL under `dataDir`.
 */
export async function startRuntime(options: { projectRoot: string; dataDir: string; temporalPort?: number; temporalUiPort?: number; postgresPort?: number; uiCodecEndpoint?: string }): Promise<Runtime> {
  const started = Date.now();
  const externalTemporal = process.env.TEMPORAL_ADDRESS;
  const externalDatabase = process.env.DATABASE_URL;
  const [temporal, postgres] = await Promise.allSettled([
    externalTemporal
      ? ensureSearchAttributes(externalTemporalConfig()).then(() => ({ address: externalTemporal, uiUrl: undefined, stop: async () => undefined }))
      : startTemporalDevServer({ projectRoot: options.projectRoot, dataDir: options.dataDir, port: options.temporalPort, uiPort: options.temporalUiPort, uiCodecEndpoint: options.uiCodecEndpoint }),
    externalDatabase
      ? Promise.resolve({ url: process.env.MIGRATION_DATABASE_URL || externalDatabase, runtimeUrl: externalDatabase, stop: async () => undefined })
      : startEmbeddedPostgres({ dataDir: options.dataDir, port: options.postgresPort }),
  ]);
  if (temporal.status === 'rejected' || postgres.status === 'rejected') {
    if (temporal.status === 'fulfilled') await temporal.value.stop();
    if (postgres.status === 'fulfilled') await postgres.value.stop();
    const reasons = [temporal, postgres].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as Error)?.message ?? String(r.reason));
    throw new Error(reasons.join('\n'));
  }
  log(`Temporal at ${temporal.value.address}${externalTemporal ? ' (external)' : ''}, PostgreSQL ${externalDatabase ? '(external)' : 'embedded'}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    temporalAddress: temporal.value.address,
    temporalUiUrl: temporal.value.uiUrl,
    databaseUrl: postgres.value.runtimeUrl,
    migrationDatabaseUrl: postgres.value.url,
    stop: async () => {
      await Promise.allSettled([temporal.value.stop(), postgres.value.stop()]);
    },
  };
}

/** The external cluster's settings (TEMPORAL_ADDRESS, TLS, API key, …) as the processes read them. */
function externalTemporalConfig() {
  const problems: string[] = [];
  const config = readTemporalConfig(process.env, problems);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
