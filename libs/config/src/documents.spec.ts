import { readDocumentsConfig, documentStoreChecks, DEFAULT_DOCUMENT_MAX_BYTES, DEFAULT_DOCUMENT_S3_REGION } from './documents';
import { PRODUCTION_CHECKS } from './production';
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
    const { problems } = readDocumentsConfig({ DOCUMENT_STORE: 'ftp', DOCUMENT_KEYS: `d1:${Buffer.alloc(16).toString('base64')}`, DOCUMENT_MAX_BYTES: '100000000' }, [DEVELOPMENT_CODEC_KEY]);
    expect(problems).toEqual([
      'DOCUMENT_STORE must be postgres or s3 (got ftp)',
      expect.stringMatching(/^DOCUMENT_KEYS must list "<id>:<base64 of 32 bytes>" entries/),
      'DOCUMENT_MAX_BYTES must be a whole number of bytes from 1 to 52428800 (got 100000000)',
    ]);
  });

  it('an S3-compatible bucket: endpoint, region, bucket, credentials, path style', () => {
    const { config, problems } = readDocumentsConfig(
      { DOCUMENT_STORE: 's3', DOCUMENT_S3_ENDPOINT: 'https://s3.example.be', DOCUMENT_S3_BUCKET: 'levensloop-documents', DOCUMENT_S3_ACCESS_KEY_ID: 'AK', DOCUMENT_S3_SECRET_ACCESS_KEY: 'SK', DOCUMENT_S3_FORCE_PATH_STYLE: 'true' },
      [DEVELOPMENT_CODEC_KEY],
    );
    expect(problems).toEqual([]);
    expect(config.store).toBe('s3');
    expect(config.s3).toEqual({ endpoint: 'https://s3.example.be', region: DEFAULT_DOCUMENT_S3_REGION, bucket: 'levensloop-documents', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, forcePathStyle: true });
    // Without keys of its own: the AWS SDK's chain (a pod's web identity, an instance role).
    expect(readDocumentsConfig({ DOCUMENT_STORE: 's3', DOCUMENT_S3_BUCKET: 'docs', DOCUMENT_S3_REGION: 'eu-central-1' }, [DEVELOPMENT_CODEC_KEY]).config.s3).toEqual({ region: 'eu-central-1', bucket: 'docs', forcePathStyle: false });
  });

  it('names what the S3 store lacks', () => {
    const { problems } = readDocumentsConfig({ DOCUMENT_STORE: 's3', DOCUMENT_S3_ENDPOINT: 'ftp://x', DOCUMENT_S3_ACCESS_KEY_ID: 'AK', DOCUMENT_S3_FORCE_PATH_STYLE: 'yes' }, [DEVELOPMENT_CODEC_KEY]);
    expect(problems).toEqual([
      'DOCUMENT_S3_ENDPOINT must be an http(s) URL (got ftp://x)',
      expect.stringMatching(/^DOCUMENT_S3_BUCKET must name the bucket .* \(got nothing\)$/),
      expect.stringMatching(/^DOCUMENT_S3_ACCESS_KEY_ID and DOCUMENT_S3_SECRET_ACCESS_KEY go together/),
      'DOCUMENT_S3_FORCE_PATH_STYLE must be true or false (got yes)',
    ]);
  });

  it('production: the bucket over https, no emulator key', () => {
    expect(documentStoreChecks({ DOCUMENT_STORE: 's3', DOCUMENT_S3_ENDPOINT: 'http://minio:9000', DOCUMENT_S3_ACCESS_KEY_ID: 'minioadmin' })).toEqual([
      'DOCUMENT_S3_ENDPOINT is plain http (http://minio:9000): the document bucket must be reached over https',
      "DOCUMENT_S3_ACCESS_KEY_ID is an S3 emulator's well-known key ('minioadmin'); use the bucket's own credentials",
    ]);
    expect(documentStoreChecks({ DOCUMENT_STORE: 's3', DOCUMENT_S3_ENDPOINT: 'https://s3.example.be', DOCUMENT_S3_ACCESS_KEY_ID: 'AKIA-own' })).toEqual([]);
    expect(PRODUCTION_CHECKS).toContain(documentStoreChecks);
  });
});
