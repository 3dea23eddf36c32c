import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '@levensloop/runtime';
import { s3ClientConfig, type S3DocumentBucket } from '@levensloop/persistence';
import { pollUntil } from './poll';

/** An S3-compatible server for a test file: moto's server mode, with one fresh bucket. */
export interface S3Server {
  bucket: S3DocumentBucket;
  client: S3Client;
  /** The DOCUMENT_* variables that point a process at the bucket. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts `moto_server` (MOTO_SERVER_PATH, set by `npm test` when a test that needs it runs: it
 * installs moto[server] into .runtime/moto) on a free port of this machine and creates a bucket.
 */
export async function startS3Server(): Promise<S3Server> {
  const binary = process.env.MOTO_SERVER_PATH;
  if (!binary) throw new Error('MOTO_SERVER_PATH is not set: run this test through `npm test` (it installs moto[server] into .runtime/moto), or set it to a moto_server binary.');
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket: S3DocumentBucket = {
    endpoint,
    region: 'eu-west-1',
    bucket: `documents-${randomBytes(4).toString('hex')}`,
    credentials: { accessKeyId: 'levensloop-test', secretAccessKey: 'levensloop-test-secret' },
    forcePathStyle: true,
  };
  try {
    await pollUntil(
      'moto_server to answer',
      async () => {
        if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${output}`);
        return fetch(`${endpoint}/moto-api/`).then((r) => r.status < 500, () => false);
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (err) {
    child.kill();
    throw err;
  }
  const client = new S3Client(s3ClientConfig(bucket));
  await client.send(new CreateBucketCommand({ Bucket: bucket.bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  return {
    bucket,
    client,
    env: {
      DOCUMENT_STORE: 's3',
      DOCUMENT_S3_ENDPOINT: endpoint,
      DOCUMENT_S3_REGION: bucket.region,
      DOCUMENT_S3_BUCKET: bucket.bucket,
      DOCUMENT_S3_ACCESS_KEY_ID: bucket.credentials!.accessKeyId,
      DOCUMENT_S3_SECRET_ACCESS_KEY: bucket.credentials!.secretAccessKey,
      DOCUMENT_S3_FORCE_PATH_STYLE: 'true',
    },
    async stop() {
      client.destroy();
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
