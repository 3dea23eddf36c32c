// The probe asks a real development issuer (the sandbox's, over HTTP) and a real issuer look-alike.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the sandbox app plays the development issuer
import { startSandbox, type RunningSandbox } from '../../../apps/sandbox/src/index';
import { ConfigError } from './config';
import { loadStartupConfig, probeIssuer } from './startup';

let sandbox: RunningSandbox;
/** An issuer without a development token endpoint: discovery and keys, 404 for anything else. */
let realIssuer: http.Server;
let realIssuerUrl: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  realIssuer = http.createServer((req, res) => {
    if (req.url === '/realms/x/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: `${realIssuerUrl}/realms/x`, token_endpoint: `${realIssuerUrl}/realms/x/protocol/openid-connect/token` }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => realIssuer.listen(0, '127.0.0.1', resolve));
  realIssuerUrl = `http://127.0.0.1:${(realIssuer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => realIssuer.close(resolve));
});

describe('issuer probe', () => {
  it('finds the sandbox issuer\'s development token endpoint, wherever it is deployed', async () => {
    expect(await probeIssuer(`${sandbox.url}/oidc`)).toEqual({
      refusals: [`OIDC_ISSUER offers a development token endpoint: ${sandbox.url}/oidc/dev-token hands out an access token to anyone who asks`],
      warnings: [],
    });
  });

  it('finds nothing at an issuer without one', async () => {
    expect(await probeIssuer(`${realIssuerUrl}/realms/x`)).toEqual({ refusals: [], warnings: [] });
  });

  it('warns, without refusing, when the issuer cannot be reached', async () => {
    const probe = await probeIssuer('http://127.0.0.1:9/oidc', 1000);
    expect(probe.refusals).toEqual([]);
    expect(probe.warnings).toEqual([expect.stringMatching(/discovery document/), expect.stringMatching(/whether it hands out tokens/)]);
  });

  it('adds the probe\'s reason to the static ones, in the production profile only', async () => {
    const env = {
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      OIDC_ISSUER: `${sandbox.url}/oidc`,
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
    expect((await loadStartupConfig(env)).profile).toBe('development');
    const refused = await loadStartupConfig({ ...env, LEVENSLOOP_ENV: 'production' }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([
      expect.stringMatching(/^production profile: OIDC_ISSUER is plain http/),
      expect.stringMatching(/^production profile: OIDC_JWKS_URL is plain http/),
      expect.stringMatching(/^production profile: OIDC_ISSUER offers a development token endpoint/),
    ]);
  });
});

describe('issuer probe of the sandbox without its token endpoint', () => {
  it('refuses the sandbox\'s OpenID provider by its discovery document', async () => {
    const closed = await startSandbox({ port: 0, devTokens: false });
    try {
      const probe = await probeIssuer(`${closed.url}/oidc`);
      expect(probe.warnings).toEqual([]);
      expect(probe.refusals).toEqual([expect.stringMatching(/^OIDC_ISSUER is the sandbox's OpenID provider \(its discovery says levensloop_sandbox\)/)]);
    } finally {
      await closed.close();
    }
  });
});
