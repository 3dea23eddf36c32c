import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from './codec';
import { CodecRequestError, handleCodecRequest, toJsonPayload } from './codec-server';
import { subjectSearchKey } from './subject-key';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const value = { nationalNumber: '85073003328', iban: 'BE71096123456769', name: 'Jan Peeters' };
const payload = () => defaultPayloadConverter.toPayload(value);
const str = (b?: Uint8Array) => Buffer.from(b ?? []).toString('utf8');

describe('AesGcmPayloadCodec', () => {
  it('encrypts the whole payload under the newest key and decodes it back', async () => {
    const codec = new AesGcmPayloadCodec([k2, k1]);
    const [encrypted] = await codec.encode([payload()]);
    expect(str(encrypted.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(str(encrypted.metadata![KEY_ID_METADATA])).toBe('k2');
    expect(Object.keys(encrypted.metadata!).sort()).toEqual(['encoding', KEY_ID_METADATA]);
    for (const clear of ['85073003328', 'BE71096123456769', 'Jan Peeters', 'json/plain']) expect(Buffer.from(encrypted.data!).includes(clear)).toBe(false);
    const [decoded] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(value);
    // A fresh IV each time: the same value never encrypts the same way twice.
    const [again] = await codec.encode([payload()]);
    expect(Buffer.from(again.data!).equals(Buffer.from(encrypted.data!))).toBe(false);
  });

  it('rotates: payloads of an older key still decode while new ones take the newest', async () => {
    const [old] = await new AesGcmPayloadCodec([k1]).encode([payload()]);
    const rotated = new AesGcmPayloadCodec([k2, k1]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0])).toEqual(value);
    const [fresh] = await rotated.encode([payload()]);
    expect(str(fresh.metadata![KEY_ID_METADATA])).toBe('k2');
    // Without the new key, the new payload cannot be read.
    await expect(new AesGcmPayloadCodec([k1]).decode([fresh])).rejects.toThrow('payload encrypted with key id "k2", which is not among the configured keys (k1): add it to TEMPORAL_CODEC_KEYS');
  });

  it('refuses a payload that was altered, or passed off under another key id', async () => {
    const codec = new AesGcmPayloadCodec([k1, k2]);
    const [encrypted] = await codec.encode([payload()]);
    const flipped = Buffer.from(encrypted.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...encrypted, data: flipped }])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([{ ...encrypted, data: flipped }])).rejects.toThrow('payload encrypted with key id "k1" does not decrypt: it was altered');
    const relabelled = { ...encrypted, metadata: { ...encrypted.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow('payload encrypted with key id "k2" does not decrypt');
    await expect(codec.decode([{ ...encrypted, data: Buffer.from([1, 2, 3]) }])).rejects.toThrow('too short');
  });

  it('passes unencrypted payloads through, so histories recorded before the codec stay readable', async () => {
    const clear: Payload = payload();
    const [decoded] = await new AesGcmPayloadCodec([k1]).decode([clear]);
    expect(decoded).toBe(clear);
    const empty: Payload = { metadata: {}, data: new Uint8Array() };
    expect((await new AesGcmPayloadCodec([k1]).decode([empty]))[0]).toBe(empty);
  });

  it('refuses keys that are not AES-256 keys', () => {
    expect(() => new AesGcmPayloadCodec([])).toThrow('at least one key');
    expect(() => new AesGcmPayloadCodec([{ id: 'short', key: randomBytes(16) }])).toThrow('codec key short is 16 bytes; AES-256 needs 32');
  });
});

describe('the remote codec protocol', () => {
  const codec = new AesGcmPayloadCodec([k1]);

  it('encodes and decodes base64 JSON payloads', async () => {
    const encoded = await handleCodecRequest(codec, 'encode', { payloads: [toJsonPayload(payload())] });
    expect(Buffer.from(encoded.payloads[0].metadata!.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    const decoded = await handleCodecRequest(codec, 'decode', encoded);
    expect(JSON.parse(Buffer.from(decoded.payloads[0].data!, 'base64').toString())).toEqual(value);
    expect(await handleCodecRequest(codec, 'decode', { payloads: [] })).toEqual({ payloads: [] });
  });

  it('says what is wrong with a bad body (400) or a payload that does not decrypt (422)', async () => {
    const refusal = (body: unknown, op: 'encode' | 'decode' = 'decode') => handleCodecRequest(codec, op, body).then(() => undefined, (e: CodecRequestError) => [e.status, e.message]);
    expect(await refusal(null)).toEqual([400, 'the body must be a JSON object with "payloads", an array of { metadata, data }']);
    expect(await refusal({ payloads: 'x' })).toEqual([400, expect.stringContaining('"payloads", an array')]);
    expect(await refusal({ payloads: [7] })).toEqual([400, 'payloads[0] must be an object { metadata, data }']);
    expect(await refusal({ payloads: [{ metadata: [] }] })).toEqual([400, 'payloads[0].metadata must be an object of base64 strings']);
    expect(await refusal({ payloads: [{ metadata: { encoding: 'not base64!' } }] })).toEqual([400, 'payloads[0].metadata.encoding must be a base64 string']);
    expect(await refusal({ payloads: [{ data: 5 }] }, 'encode')).toEqual([400, 'payloads[0].data must be a base64 string']);
    expect(await refusal({ payloads: Array.from({ length: 1001 }, () => ({})) })).toEqual([400, 'at most 1000 payloads per request (got 1001)']);
    const foreign = await handleCodecRequest(new AesGcmPayloadCodec([k2]), 'encode', { payloads: [toJsonPayload(payload())] });
    expect(await refusal(foreign)).toEqual([422, expect.stringContaining('key id "k2", which is not among the configured keys')]);
  });
});

describe('subjectSearchKey', () => {
  it('is the subject type and a keyed hash of the number, never the number', () => {
    const key = subjectSearchKey({ type: 'person', id: '85073003328' }, 'a-key');
    expect(key).toMatch(/^person:[0-9a-f]{64}$/);
    expect(key).not.toContain('85073003328');
    expect(subjectSearchKey({ type: 'person', id: '85073003328' }, 'a-key')).toBe(key);
    expect(subjectSearchKey({ type: 'person', id: '85073003328' }, 'another-key')).not.toBe(key);
  });
});
