import { ConfigError, loadConfig, loadConsoleConfig } from './config';
import { agencyHostChecks, corsChecks, devSignInChecks, internalHostReason, issuerChecks, productionRefusals, readProfile, SANDBOX_DEFAULT_SECRETS, secretChecks } from './production';

/** A production environment that passes every check. */
const production = {
  LEVENSLOOP_ENV: 'production',
  DATABASE_URL: 'postgres://levensloop:secret@db.internal.example:5432/levensloop',
  TEMPORAL_ADDRESS: 'temporal.example.be:7233',
  OIDC_ISSUER: 'https://login.example.be/realms/levensloop',
  CORS_ORIGINS: 'https://console.example.be',
  SOURCES_URL: 'https://sources.example.be',
  SOURCES_TOKEN: 'a-real-sources-token',
  SMS_GATEWAY_URL: 'https://sms.example.be',
  SMS_GATEWAY_TOKEN: 'a-real-sms-token',
  SMS_CALLBACK_SECRET: 'a-real-callback-secret',
  ECOUNTER_URL: 'https://ecounter.example.be',
  ECOUNTER_TOKEN: 'a-real-ecounter-token',
  LOG_PSEUDONYM_KEY: 'a-real-log-pseudonym-key-of-32-characters-or-more',
  // the Temporal settings production needs (libs/config/src/temporal.spec.ts)
  TEMPORAL_TLS: 'true',
  TEMPORAL_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  TEMPORAL_SUBJECT_HASH_KEY: 'a-real-subject-hash-key-of-32-characters-or-more',
  // the payment provider production needs (libs/config/src/payments.spec.ts)
  PAYMENT_PROVIDER_URL: 'https://psp.example.be/v1',
  PAYMENT_PROVIDER_TOKEN: 'a-real-payment-provider-token',
  PAYMENT_WEBHOOK_SECRET: 'a-real-payment-webhook-secret',
};

const problemsOf = (env: Record<string, string | undefined>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
};

describe('production profile', () => {
  it('reads LEVENSLOOP_ENV one way for every process and command (trimmed, development by default)', () => {
    expect(readProfile({})).toEqual({ profile: 'development' });
    expect(readProfile({ LEVENSLOOP_ENV: ' ' })).toEqual({ profile: 'development' });
    expect(readProfile({ LEVENSLOOP_ENV: ' production\n' })).toEqual({ profile: 'production' });
    // A value naming no profile is a problem, and meanwhile production's rules hold, not development's.
    expect(readProfile({ LEVENSLOOP_ENV: 'Production' })).toEqual({ profile: 'production', problem: 'LEVENSLOOP_ENV must be development or production (got Production)' });
  });

  it('starts with a production environment, and a development one is not checked', () => {
    expect(problemsOf(production)).toEqual([]);
    expect(loadConfig(production).profile).toBe('production');
    expect(loadConfig({ ...production, LEVENSLOOP_ENV: undefined, OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', CONSOLE_DEV_SIGN_IN: 'true' }).profile).toBe('development');
    expect(problemsOf({ ...production, LEVENSLOOP_ENV: 'staging' })).toEqual(['LEVENSLOOP_ENV must be development or production (got staging)']);
  });

  it('refuses a plain-http issuer or JWKS', () => {
    expect(issuerChecks({ OIDC_ISSUER: 'http://idp.example.be/oidc' })).toEqual([
      'OIDC_ISSUER is plain http (http://idp.example.be/oidc): tokens and the issuer\'s keys must come over https',
      'OIDC_JWKS_URL is plain http (http://idp.example.be/oidc/jwks): tokens and the issuer\'s keys must come over https',
    ]);
    expect(issuerChecks({ OIDC_ISSUER: 'https://idp.example.be', OIDC_JWKS_URL: 'http://idp.example.be/keys' })).toEqual([expect.stringMatching(/^OIDC_JWKS_URL is plain http/)]);
    expect(issuerChecks({ OIDC_ISSUER: 'https://idp.example.be' })).toEqual([]);
  });

  it('refuses the sandbox\'s development issuer', () => {
    expect(issuerChecks({ OIDC_ISSUER: 'https://sandbox.example.be/oidc/', SANDBOX_PUBLIC_URL: 'https://sandbox.example.be' })).toEqual([
      expect.stringMatching(/^OIDC_ISSUER is the sandbox's development issuer \(SANDBOX_PUBLIC_URL\/oidc\), which hands out a token for any role at \/oidc\/dev-token/),
    ]);
    expect(issuerChecks({ OIDC_ISSUER: 'https://login.example.be/oidc', SANDBOX_URL: 'https://sandbox.example.be' })).toEqual([]);
  });

  it('refuses development sign-in in the console', () => {
    expect(devSignInChecks({ CONSOLE_DEV_SIGN_IN: 'true' })).toEqual([expect.stringMatching(/^CONSOLE_DEV_SIGN_IN=true lets anyone sign in/)]);
    expect(devSignInChecks({ CONSOLE_DEV_SIGN_IN: 'false' })).toEqual([]);
    expect(devSignInChecks({})).toEqual([]);
  });

  it('refuses every secret that is a sandbox default, per-source tokens included', () => {
    const env = { ...SANDBOX_DEFAULT_SECRETS, SMS_GATEWAY_URL: 'https://sms.example.be', SOURCE_ADDRESS_REGISTER_TOKEN: 'sandbox-sources-token', SOURCE_NATIONAL_REGISTER_TOKEN: 'own' };
    expect(secretChecks(env)).toEqual([
      "SMS_GATEWAY_TOKEN is the sandbox's default secret ('sandbox-sms-token'); set a secret of your own",
      "SMS_CALLBACK_SECRET is the sandbox's default secret ('sandbox-sms-secret'); set a secret of your own",
      "ECOUNTER_TOKEN is the sandbox's default secret ('sandbox-ecounter-token'); set a secret of your own",
      "SOURCES_TOKEN is the sandbox's default secret ('sandbox-sources-token'); set a secret of your own",
      "SOURCE_ADDRESS_REGISTER_TOKEN is the sandbox's default secret ('sandbox-sources-token'); set a secret of your own",
    ]);
    // Another default in the wrong variable is refused as well.
    expect(secretChecks({ ECOUNTER_TOKEN: 'sandbox-sms-token' })).toEqual([expect.stringMatching(/^ECOUNTER_TOKEN is the sandbox's default secret/)]);
  });

  it('refuses an SMS gateway without a callback secret', () => {
    expect(secretChecks({ SMS_GATEWAY_URL: 'https://sms.example.be', SMS_GATEWAY_TOKEN: 'own' })).toEqual([
      "SMS_CALLBACK_SECRET is not set while SMS_GATEWAY_URL is: the SMS gateway's delivery reports must be signed",
    ]);
    expect(secretChecks({})).toEqual([]);
  });

  it('refuses mail without a callback secret for its bounce reports', () => {
    expect(secretChecks({ SMTP_URL: 'smtps://mail.example.be' })).toEqual([
      "EMAIL_CALLBACK_SECRET is not set while SMTP_URL is: the mail side's delivery reports (bounces) must be signed",
    ]);
    expect(secretChecks({ SMTP_URL: 'smtps://mail.example.be', EMAIL_CALLBACK_SECRET: 'a-real-mail-report-secret' })).toEqual([]);
    expect(problemsOf({ ...production, SMTP_URL: 'smtps://mail.example.be' })).toEqual([expect.stringMatching(/^production profile: EMAIL_CALLBACK_SECRET is not set while SMTP_URL is/)]);
  });

  it('refuses CORS for every origin or for plain-http origins', () => {
    expect(corsChecks({ CORS_ORIGINS: '*' })).toEqual(["CORS_ORIGINS allows every origin (*); name the console's https origin instead"]);
    expect(corsChecks({ CORS_ORIGINS: 'https://console.example.be, http://127.0.0.1:3200' })).toEqual([
      'CORS_ORIGINS lists a plain-http origin (http://127.0.0.1:3200); only https origins may call the API from a browser',
    ]);
    expect(corsChecks({ CORS_ORIGINS: 'https://console.example.be' })).toEqual([]);
    // The origin parser refuses `*` in any profile; production names why as well.
    expect(problemsOf({ ...production, CORS_ORIGINS: '*' })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS must list origins/),
      expect.stringMatching(/^production profile: CORS_ORIGINS allows every origin/),
    ]);
  });

  it('refuses loopback, private, link-local, CGNAT and local names in the agency-host allow-list', () => {
    const internal: Array<[string, string]> = [
      ['127.0.0.1:3100', 'loopback'],
      ['[::1]:3100', 'loopback'],
      ['10.1.2.3:443', 'private'],
      ['172.16.0.5:443', 'private'],
      ['192.168.1.10', 'private'],
      ['169.254.169.254:80', 'linkLocal'],
      ['[fe80::1]:443', 'linkLocal'],
      ['100.64.0.1:443', 'carrierGradeNat'],
      ['[fd00::5]:443', 'uniqueLocal'],
      ['[::ffff:127.0.0.1]:80', 'loopback'],
      ['0.0.0.0:80', 'unspecified'],
      ['224.0.0.1:80', 'multicast'],
      ['localhost:3100', 'local host name'],
      ['sandbox.localhost:3100', 'local host name'],
      ['metadata.google.internal:80', 'local host name'],
      ['sandbox:3100', 'single-label'],
    ];
    for (const [entry, range] of internal) {
      expect(agencyHostChecks({ AGENCY_ALLOWED_INTERNAL_HOSTS: entry })).toEqual([
        expect.stringMatching(new RegExp(`^AGENCY_ALLOWED_INTERNAL_HOSTS lets agency calls reach ${entry.replace(/[[\]]/g, '\\$&')}, .*${range}.*production allows no internal hosts`)),
      ]);
    }
    // The same classification as the agency client's address guard.
    expect(internalHostReason('::7f00:1')).toContain('IPv4-compatible');
    expect(internalHostReason('8.8.8.8')).toBeUndefined();
  });

  it('refuses every allow-list entry, public-looking ones too: an entry skips the address guard', () => {
    const entries = ['db.corp.example.com:5432', 'agency.example.be:443', '193.191.216.10:8443', '[2001:4860::8888]:443'];
    expect(agencyHostChecks({ AGENCY_ALLOWED_INTERNAL_HOSTS: entries.join(', ') })).toEqual(
      entries.map((entry) => `AGENCY_ALLOWED_INTERNAL_HOSTS lets agency calls reach ${entry} without the check of its address; production allows no internal hosts: leave it empty`),
    );
    expect(agencyHostChecks({ AGENCY_ALLOWED_INTERNAL_HOSTS: ' , ' })).toEqual([]);
    expect(agencyHostChecks({})).toEqual([]);
  });

  it('names every reason at once, prefixed, through loadConfig', () => {
    const development = {
      ...production,
      OIDC_ISSUER: 'http://127.0.0.1:3100/oidc',
      SANDBOX_URL: 'http://127.0.0.1:3100',
      CONSOLE_DEV_SIGN_IN: 'true',
      ...SANDBOX_DEFAULT_SECRETS,
      CORS_ORIGINS: 'http://127.0.0.1:3200',
      AGENCY_ALLOWED_INTERNAL_HOSTS: '127.0.0.1:3100',
    };
    const problems = problemsOf(development);
    expect(problems).toEqual(productionRefusals(development).map((r) => `production profile: ${r}`));
    expect(problems).toHaveLength(10);
  });
});

describe('console configuration', () => {
  it('keeps development sign-in off unless it is turned on', () => {
    expect(loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc' }).devSignIn).toBe(false);
    expect(loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', CONSOLE_DEV_SIGN_IN: 'true' }).devSignIn).toBe(true);
  });

  it('refuses development sign-in in the production profile', () => {
    expect(() => loadConsoleConfig({ OIDC_ISSUER: 'https://login.example.be', LEVENSLOOP_ENV: 'production', CONSOLE_DEV_SIGN_IN: 'true' })).toThrow(
      /production profile: CONSOLE_DEV_SIGN_IN=true lets anyone sign in/,
    );
    expect(loadConsoleConfig({ OIDC_ISSUER: 'https://login.example.be', LEVENSLOOP_ENV: 'production' }).devSignIn).toBe(false);
    expect(() => loadConsoleConfig({ OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', LEVENSLOOP_ENV: 'production' })).toThrow(/production profile: OIDC_ISSUER is plain http/);
  });
});
