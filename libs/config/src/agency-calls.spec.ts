import { ConfigError, loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' };
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('agency calls configuration', () => {
  it('has defaults: a 256 KiB cap, no internal host allowed, no keys', () => {
    expect(loadConfig(base).agencyCalls).toEqual({ timeoutMs: 15000, maxResponseBytes: 262144, allowedInternalHosts: [], signingKeys: new Map(), hostsCacheMs: 10000, production: false });
  });

  it('reads the allow-list, the cap and one key per agency', () => {
    const config = loadConfig({
      ...base,
      AGENCY_ALLOWED_INTERNAL_HOSTS: '127.0.0.1:3100, Sandbox.local:80',
      AGENCY_MAX_RESPONSE_BYTES: '4096',
      AGENCY_SIGNING_KEYS: `bank=${key(1)},municipality=${key(2)}`,
    });
    expect(config.agencyCalls.allowedInternalHosts).toEqual(['127.0.0.1:3100', 'sandbox.local:80']);
    expect(config.agencyCalls.maxResponseBytes).toBe(4096);
    expect(config.agencyCalls.signingKeys).toEqual(new Map([['bank', Buffer.alloc(32, 1)], ['municipality', Buffer.alloc(32, 2)]]));
  });

  it('names every wrong setting', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, AGENCY_ALLOWED_INTERNAL_HOSTS: '127.0.0.1,http://x:1', AGENCY_SIGNING_KEYS: `bank=${Buffer.alloc(8).toString('base64')},nokey,bank=${key(3)}` });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining('AGENCY_ALLOWED_INTERNAL_HOSTS must list host:port entries, comma-separated, e.g. 127.0.0.1:3100 (got 127.0.0.1)'),
      expect.stringContaining('(got http://x:1)'),
      expect.stringContaining('the key of bank must be at least 32 bytes (got 8)'),
      expect.stringContaining("entry without '='"),
    ]);
  });
});
