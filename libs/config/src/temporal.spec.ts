import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';
import { DEVELOPMENT_CODEC_KEY, DEVELOPMENT_SUBJECT_HASH_KEY, readCodecKeys, readTemporalConfig, temporalChecks, usesTls } from './temporal';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const production = {
  TEMPORAL_ADDRESS: 'temporal.example.be:7233',
  TEMPORAL_TLS: 'true',
  TEMPORAL_CODEC_KEYS: `k2:${key(2)},k1:${key(1)}`,
  TEMPORAL_SUBJECT_HASH_KEY: 'a-real-subject-hash-key-of-32-characters-or-more',
};
const read = (env: Record<string, string | undefined>) => {
  const problems: string[] = [];
  return { config: readTemporalConfig(env, problems), problems };
};

describe('Temporal settings', () => {
  it('reads the connection through envconfig: address, namespace, API key, TLS files, gRPC metadata', () => {
    const { config, problems } = read({ ...production, TEMPORAL_NAMESPACE: 'levensloop.a1b2c', TEMPORAL_API_KEY: 'secret-key', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal', TEMPORAL_GRPC_META_X_TENANT: 'flanders' });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ address: 'temporal.example.be:7233', namespace: 'levensloop.a1b2c', taskQueue: 'levensloop-journeys', local: false, subjectHashKey: production.TEMPORAL_SUBJECT_HASH_KEY });
    expect(config.profile).toMatchObject({ apiKey: 'secret-key', tls: { serverName: 'temporal.internal' }, grpcMeta: { 'x-tenant': 'flanders' } });
    expect(config.codecKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it('reads the connection from a TOML profile, which the variables override', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'envconfig-'));
    const file = path.join(dir, 'temporal.toml');
    fs.writeFileSync(file, '[profile.prod]\naddress = "cloud.example:7233"\nnamespace = "ns1"\napi_key = "from-file"\n');
    const { config, problems } = read({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'ns2' });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ address: 'cloud.example:7233', namespace: 'ns2', profile: { apiKey: 'from-file' } });
    expect(usesTls(config.profile)).toBe(true);
    expect(read({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'none' }).problems).toEqual([expect.stringMatching(/^the Temporal connection settings .* cannot be read: /), 'TEMPORAL_ADDRESS is not set (host:port of the Temporal frontend, e.g. 127.0.0.1:7233)']);
  });

  it('knows when a connection is encrypted', () => {
    expect(usesTls({})).toBe(false);
    expect(usesTls({ tls: {} })).toBe(true);
    expect(usesTls({ apiKey: 'k' })).toBe(true);
    expect(usesTls({ apiKey: 'k', tls: { disabled: true } })).toBe(false);
  });

  it('has development keys, and checks configured codec keys', () => {
    expect(read({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }).config).toMatchObject({ codecKeys: [DEVELOPMENT_CODEC_KEY], subjectHashKey: DEVELOPMENT_SUBJECT_HASH_KEY });
    expect(DEVELOPMENT_CODEC_KEY.key).toHaveLength(32);
    const problems: string[] = [];
    readCodecKeys(`a:${key(1)},a:${key(2)},b:${Buffer.alloc(16).toString('base64')},:${key(3)}`, problems);
    expect(problems).toEqual([
      'TEMPORAL_CODEC_KEYS lists the key id a twice',
      expect.stringMatching(/^TEMPORAL_CODEC_KEYS must list "<id>:<base64 of 32 bytes>" entries, newest first .*\(got an entry with id b and a key of 16 bytes\)$/),
      expect.stringMatching(/\(got an entry without a valid id\)$/),
    ]);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@h:5432/d', OIDC_ISSUER: 'http://127.0.0.1:3100/oidc', TEMPORAL_ADDRESS: 'no-port' })).toThrow(ConfigError);
  });

  it('production refuses development keys and an unencrypted connection unless Temporal is declared local', () => {
    expect(temporalChecks(production)).toEqual([]);
    expect(temporalChecks({ TEMPORAL_ADDRESS: 'temporal.example.be:7233' })).toEqual([
      'TEMPORAL_CODEC_KEYS is not set: payloads would be encrypted with the development key; set "<id>:<base64 of 32 random bytes>" (openssl rand -base64 32)',
      'TEMPORAL_SUBJECT_HASH_KEY is the development default: set a secret of at least 32 characters (it keys the hash of national and enterprise numbers in the subject search attribute)',
      'the Temporal connection (temporal.example.be:7233) has no TLS: set TEMPORAL_TLS=true (with TEMPORAL_TLS_SERVER_CA_CERT_PATH, and TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH for mTLS) or TEMPORAL_API_KEY, or declare it on this host or pod with TEMPORAL_LOCAL=true',
    ]);
    expect(temporalChecks({ ...production, TEMPORAL_TLS: 'false' })).toEqual([expect.stringMatching(/^the Temporal connection \(temporal.example.be:7233\) has no TLS/)]);
    expect(temporalChecks({ ...production, TEMPORAL_TLS: undefined, TEMPORAL_LOCAL: 'true' })).toEqual([]);
    expect(temporalChecks({ ...production, TEMPORAL_TLS: undefined, TEMPORAL_API_KEY: 'cloud-key' })).toEqual([]);
    expect(temporalChecks({ ...production, TEMPORAL_CODEC_SERVER_SECRET: 'a'.repeat(40) })).toEqual([expect.stringMatching(/^TEMPORAL_CODEC_SERVER_SECRET is set: the codec server's secret path is for development only/)]);
    const devKey = `${DEVELOPMENT_CODEC_KEY.id}:${DEVELOPMENT_CODEC_KEY.key.toString('base64')}`;
    expect(temporalChecks({ ...production, TEMPORAL_CODEC_KEYS: `k2:${key(2)},${devKey}` })).toEqual([expect.stringMatching(/^TEMPORAL_CODEC_KEYS lists the development key/)]);
    expect(temporalChecks({ ...production, TEMPORAL_SUBJECT_HASH_KEY: 'short' })).toEqual(['TEMPORAL_SUBJECT_HASH_KEY is 5 characters long: use a secret of at least 32']);
    expect(temporalChecks({ ...production, TEMPORAL_UI_ORIGINS: 'https://temporal-ui.example.be,http://127.0.0.1:8233' })).toEqual(['TEMPORAL_UI_ORIGINS lists http://127.0.0.1:8233: only an https Web UI may read decrypted payloads from the codec server']);
  });
});
