import { ConfigError, loadConfig, readTrustProxy } from './config';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' };

describe('gateway abuse limits', () => {
  it('has defaults for a real console, no internal port, and reads "<requests>/<seconds>"', () => {
    const { gateway } = loadConfig(base);
    expect(gateway.internalPort).toBeUndefined();
    expect(gateway.limits).toEqual({
      perPrincipal: { limit: 1200, windowSeconds: 60 },
      perAddress: { limit: 2400, windowSeconds: 60 },
      smsCallback: { limit: 6000, windowSeconds: 60 },
      emailCallback: { limit: 6000, windowSeconds: 60 },
      paymentCallback: { limit: 6000, windowSeconds: 60 },
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
    });
    const tuned = loadConfig({ ...base, RATE_LIMIT_PER_PRINCIPAL: '10/1', RATE_LIMIT_PER_ADDRESS: '100/10', GATEWAY_INTERNAL_PORT: '9100' }).gateway;
    expect(tuned.limits.perPrincipal).toEqual({ limit: 10, windowSeconds: 1 });
    expect(tuned.limits.perAddress).toEqual({ limit: 100, windowSeconds: 10 });
    expect(tuned).toMatchObject({ internalPort: 9100, internalHost: '127.0.0.1' });
    // The mail side's reports have their own limit and window, apart from the SMS reports'.
    const reports = loadConfig({ ...base, RATE_LIMIT_SMS_CALLBACK: '50/10', RATE_LIMIT_EMAIL_CALLBACK: '20/30' }).gateway.limits;
    expect([reports.smsCallback, reports.emailCallback]).toEqual([{ limit: 50, windowSeconds: 10 }, { limit: 20, windowSeconds: 30 }]);
  });

  it('names every malformed limit', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, RATE_LIMIT_PER_PRINCIPAL: '100', RATE_LIMIT_PER_ADDRESS: '0/60', RATE_LIMIT_SMS_CALLBACK: 'many', RATE_LIMIT_EMAIL_CALLBACK: '5/0', GATEWAY_HEADERS_TIMEOUT_MS: '5' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['RATE_LIMIT_PER_PRINCIPAL', 'RATE_LIMIT_PER_ADDRESS', 'RATE_LIMIT_SMS_CALLBACK', 'RATE_LIMIT_EMAIL_CALLBACK', 'GATEWAY_HEADERS_TIMEOUT_MS']) expect(problems).toContain(name);
  });

  it('trusts no proxy unless GATEWAY_TRUST_PROXY says how many or which, and never any (true)', () => {
    expect(loadConfig(base).gateway.trustProxy).toBe(false);
    expect(loadConfig({ ...base, GATEWAY_TRUST_PROXY: '1' }).gateway.trustProxy).toBe(1);
    expect(loadConfig({ ...base, GATEWAY_TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).gateway.trustProxy).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1']);
    for (const bad of ['true', '11', 'proxy.example', '10.0.0.0/99']) {
      const problems: string[] = [];
      readTrustProxy(bad, problems);
      expect({ bad, problems: problems.length }).toEqual({ bad, problems: 1 });
      expect(problems[0]).toContain('GATEWAY_TRUST_PROXY');
    }
  });
});
