import { ConfigError, loadConfig } from './config';
import { paymentProductionChecks, readPaymentsConfig } from './payments';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', TEMPORAL_ADDRESS: '127.0.0.1:7233', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' };
const problemsOf = (env: Record<string, string | undefined>) => {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
};

describe('the payment provider', () => {
  it('is optional in development, and read with its token, webhook secret and timeout', () => {
    expect(readPaymentsConfig({}, 'development')).toEqual({ config: { timeoutMs: 10_000 }, problems: [] });
    expect(readPaymentsConfig({ PAYMENT_PROVIDER_URL: 'http://127.0.0.1:3100/payments/', PAYMENT_PROVIDER_TOKEN: 't', PAYMENT_WEBHOOK_SECRET: 'a-webhook-secret-of-16', PAYMENT_TIMEOUT_MS: '2500' }, 'development')).toEqual({
      config: { providerUrl: 'http://127.0.0.1:3100/payments', providerToken: 't', webhookSecret: 'a-webhook-secret-of-16', timeoutMs: 2500 },
      problems: [],
    });
    expect(loadConfig(base).payments).toEqual({ timeoutMs: 10_000 });
  });

  it('refuses a provider without its token or webhook secret, a short secret and a bad timeout, naming each', () => {
    expect(readPaymentsConfig({ PAYMENT_PROVIDER_URL: 'ftp://psp', PAYMENT_WEBHOOK_SECRET: 'short', PAYMENT_TIMEOUT_MS: '5' }, 'development').problems).toEqual([
      'PAYMENT_PROVIDER_URL must be an http(s) URL, e.g. https://psp.example.be/v1 (got ftp://psp)',
      'PAYMENT_PROVIDER_TOKEN must be set with PAYMENT_PROVIDER_URL: the provider takes no anonymous calls',
      'PAYMENT_WEBHOOK_SECRET must be at least 16 characters (e.g. openssl rand -hex 24)',
      'PAYMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 120000 (got 5)',
    ]);
    expect(problemsOf({ PAYMENT_PROVIDER_URL: 'https://psp.example.be', PAYMENT_PROVIDER_TOKEN: 't' })).toEqual([
      "PAYMENT_WEBHOOK_SECRET must be set with PAYMENT_PROVIDER_URL: the provider's webhooks must be signed",
    ]);
  });

  it('is required in production, over https, with secrets of its own', () => {
    expect(paymentProductionChecks({})).toEqual([
      'PAYMENT_PROVIDER_URL is not set: payment steps need a payment provider',
      'PAYMENT_PROVIDER_TOKEN is not set',
      "PAYMENT_WEBHOOK_SECRET is not set: the provider's webhooks must be signed",
    ]);
    expect(paymentProductionChecks({ PAYMENT_PROVIDER_URL: 'http://psp.example.be', PAYMENT_PROVIDER_TOKEN: 'sandbox-payment-token', PAYMENT_WEBHOOK_SECRET: 'a-real-payment-webhook-secret' })).toEqual([
      'PAYMENT_PROVIDER_URL is plain http (http://psp.example.be): payments go over https',
      "PAYMENT_PROVIDER_TOKEN is the sandbox's default secret ('sandbox-payment-token'); set a secret of your own",
    ]);
    expect(paymentProductionChecks({ PAYMENT_PROVIDER_URL: 'https://psp.example.be', PAYMENT_PROVIDER_TOKEN: 'own', PAYMENT_WEBHOOK_SECRET: 'a-real-payment-webhook-secret' })).toEqual([]);
  });
});
