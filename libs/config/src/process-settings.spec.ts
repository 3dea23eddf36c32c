import { ConfigError, loadConfig, loadConsoleConfig, readCliEnvironment } from './config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' };

describe('worker settings', () => {
  it('defaults to the health port 3001, a 1000-journey cache, no SDK metrics, no CPU profile and a sweep every 30 s', () => {
    expect(loadConfig(base).worker).toEqual({ port: 3001, maxCachedWorkflows: 1000, inboxSweepEveryMs: 30_000 });
  });

  it('reads the health port, the cache size, the metrics address, the CPU profile file and the sweep interval', () => {
    const worker = loadConfig({ ...base, WORKER_PORT: '4001', WORKER_MAX_CACHED_WORKFLOWS: '250', WORKER_METRICS_ADDRESS: '127.0.0.1:9464', WORKER_CPU_PROFILE: '/tmp/w.cpuprofile', INBOX_SWEEP_EVERY_MS: '10000' }).worker;
    expect(worker).toEqual({ port: 4001, maxCachedWorkflows: 250, metricsAddress: '127.0.0.1:9464', cpuProfile: '/tmp/w.cpuprofile', inboxSweepEveryMs: 10_000 });
  });

  it('names each bad worker setting', () => {
    const problems = (() => {
      try {
        loadConfig({ ...base, WORKER_PORT: '70000', WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_METRICS_ADDRESS: 'http://x:1/metrics', INBOX_SWEEP_EVERY_MS: '500' });
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      'WORKER_METRICS_ADDRESS must be host:port (got http://x:1/metrics)',
      'WORKER_PORT must be an integer between 0 and 65535 (got 70000)',
      'WORKER_MAX_CACHED_WORKFLOWS must be an integer between 1 and 1000000 (got 0)',
      'INBOX_SWEEP_EVERY_MS must be an integer between 1000 and 3600000 (got 500)',
    ]);
  });
});

describe('listen addresses of the worker and dispatcher health endpoints', () => {
  it('stay on loopback unless WORKER_HOST or DISPATCHER_HOST says where (0.0.0.0 in a pod)', () => {
    expect(loadConfig(base).worker.host).toBeUndefined();
    expect(loadConfig(base).notifications.host).toBeUndefined();
    const config = loadConfig({ ...base, WORKER_HOST: ' 0.0.0.0 ', DISPATCHER_HOST: '::' });
    expect(config.worker.host).toBe('0.0.0.0');
    expect(config.notifications.host).toBe('::');
  });

  it('names a host that is not an address', () => {
    expect(() => loadConfig({ ...base, WORKER_HOST: 'http://0.0.0.0' })).toThrow('WORKER_HOST must be an address to listen on, e.g. 0.0.0.0 (got http://0.0.0.0)');
  });
});

describe('console static directory', () => {
  it('is the build output unless CONSOLE_STATIC_DIR names another', () => {
    expect(loadConsoleConfig({ OIDC_ISSUER: base.OIDC_ISSUER }).staticDir).toBeUndefined();
    expect(loadConsoleConfig({ OIDC_ISSUER: base.OIDC_ISSUER, CONSOLE_STATIC_DIR: ' /srv/console ' }).staticDir).toBe('/srv/console');
  });
});

describe('command-line environment', () => {
  it('passes the two database URLs and the profile through, and names an unknown profile', () => {
    expect(readCliEnvironment({ DATABASE_URL: 'postgres://a', MIGRATION_DATABASE_URL: 'postgres://b' })).toEqual({ databaseUrl: 'postgres://a', migrationDatabaseUrl: 'postgres://b', profile: 'development' });
    expect(readCliEnvironment({ LEVENSLOOP_ENV: 'staging' })).toEqual({ profile: 'production', profileProblem: 'LEVENSLOOP_ENV must be development or production (got staging)' });
  });
});
