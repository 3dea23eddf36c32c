import { readDocumentsConfig, DEFAULT_DOCUMENT_MAX_BYTES } from './documents';
import { DEVELOPMENT_CODEC_KEY } from './temporal';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');

describe('documents configuration', () => {
  it('defaults: PostgreSQL, the payload codec keys, 10 MiB', () => {
    const { config, problems } = readDocumentsConfig({}, [DEVELOPMENT_CODEC_KEY]);
    expect(problems).toEqual([]);
    expect(config).toEqual({ store: 'postgres', keys: [DEVELOPMENT_CODEC_KEY], maxBytes: DEFAULT_DOCUMENT_MAX_BYTES });
  });

  it('DOCUMENT_KEYS of their own, newest first, and a lower cap', () => {
    const { config, problems } = readDocumentsConfig({ DOCUMENT_KEYS: `d2:${key(2)},d1:${key(1)}`, DOCUMENT_MAX_BYTES: '1048576' }, [DEVELOPMENT_CODEC_KEY]);
    expect(problems).toEqual([]);
    expect(config.keys.map((k) => k.id)).toEqual(['d2', 'd1']);
    expect(config.maxBytes).toBe(1048576);
  });

  it('names every variable to fix', () => {
    const { problems } = readDocumentsConfig({ DOCUMENT_STORE: 's3', DOCUMENT_KEYS: `d1:${Buffer.alloc(16).toString('base64')}`, DOCUMENT_MAX_BYTES: '100000000' }, [DEVELOPMENT_CODEC_KEY]);
    expect(problems).toEqual([
      'DOCUMENT_STORE must be postgres, the one store built in so far (got s3)',
      expect.stringMatching(/^DOCUMENT_KEYS must list "<id>:<base64 of 32 bytes>" entries/),
      'DOCUMENT_MAX_BYTES must be a whole number of bytes from 1 to 52428800 (got 100000000)',
    ]);
  });
});
