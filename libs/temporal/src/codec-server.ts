import type { Payload, PayloadCodec } from '@temporalio/common';
import { PayloadDecryptionError } from './codec';

/**
 * Temporal's remote codec protocol (what the Web UI and `temporal --codec-endpoint` call):
 * `POST <endpoint>/encode` and `POST <endpoint>/decode`, each with `{ "payloads": [ { "metadata":
 * { "<name>": "<base64>" }, "data": "<base64>" } ] }` and answered in the same shape.
 */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export type CodecOperation = 'encode' | 'decode';

/** A request the codec server cannot act on: the status and what was wrong. */
export class CodecRequestError extends Error {
  constructor(readonly status: 400 | 422, message: string) {
    super(message);
    this.name = 'CodecRequestError';
  }
}

/** At most this many payloads per request (a page of a history's events has far fewer). */
export const MAX_CODEC_PAYLOADS = 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) throw new CodecRequestError(400, `${where} must be a base64 string`);
  return Buffer.from(value, 'base64');
}

/** The payloads of a request body, or a CodecRequestError naming what is wrong. */
export function parsePayloads(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!body || typeof body !== 'object' || !Array.isArray(list)) throw new CodecRequestError(400, 'the body must be a JSON object with "payloads", an array of { metadata, data }');
  if (list.length > MAX_CODEC_PAYLOADS) throw new CodecRequestError(400, `at most ${MAX_CODEC_PAYLOADS} payloads per request (got ${list.length})`);
  return list.map((p: unknown, i): Payload => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) throw new CodecRequestError(400, `payloads[${i}] must be an object { metadata, data }`);
    const { metadata, data } = p as { metadata?: unknown; data?: unknown };
    if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) throw new CodecRequestError(400, `payloads[${i}].metadata must be an object of base64 strings`);
    const entries = Object.entries((metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, bytes(v, `payloads[${i}].metadata.${k}`)] as const);
    return { metadata: Object.fromEntries(entries), data: data === undefined ? new Uint8Array() : bytes(data, `payloads[${i}].data`) };
  });
}

const base64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('base64');

export function toJsonPayload(p: Payload): JsonPayload {
  return { metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, base64(v)])), data: base64(p.data) };
}

/** Runs one codec request: the answer's body, or a CodecRequestError (400 bad body, 422 a payload that does not decrypt). */
export async function handleCodecRequest(codec: PayloadCodec, operation: CodecOperation, body: unknown): Promise<{ payloads: JsonPayload[] }> {
  const payloads = parsePayloads(body);
  try {
    const result = operation === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
    return { payloads: result.map(toJsonPayload) };
  } catch (err) {
    if (err instanceof PayloadDecryptionError) throw new CodecRequestError(422, err.message);
    throw err;
  }
}
