import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { httpbis, type SignatureParameters } from 'http-message-signatures';

/**
 * How the engine authenticates to agencies: HTTP Message Signatures (RFC 9421), algorithm
 * `hmac-sha256` with one shared secret per agency, `keyid` = the agency's code. Covered:
 * `@method`, `@target-uri`, `content-type`, `content-digest` (RFC 9530, SHA-256 of the exact
 * body) and `idempotency-key`, with `created` and `expires` (5 minutes). An agency recomputes
 * the digest of the body it received, checks the signature with its key, and refuses signatures
 * older than 5 minutes. README.md ("For agencies") shows the signature base.
 */
export const SIGNATURE_LABEL = 'levensloop';
export const SIGNED_COMPONENTS = ['@method', '@target-uri', 'content-type', 'content-digest', 'idempotency-key'] as const;
export const SIGNATURE_MAX_AGE_SECONDS = 300;

/** RFC 9530 Content-Digest of a body: `sha-256=:<base64>:`. */
export function contentDigest(body: Buffer | string): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

/**
 * The headers to add to a request: Content-Digest, Signature-Input and Signature. `headers`
 * must already hold content-type and idempotency-key.
 */
export async function signAgencyRequest(
  request: { method: string; url: string; headers: Record<string, string>; body: string },
  keyId: string,
  secret: Buffer,
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const headers = { ...request.headers, 'content-digest': contentDigest(request.body) };
  const signed = await httpbis.signMessage(
    {
      key: { id: keyId, alg: 'hmac-sha256', sign: async (data) => createHmac('sha256', secret).update(data).digest() },
      name: SIGNATURE_LABEL,
      fields: [...SIGNED_COMPONENTS],
      params: ['created', 'expires', 'keyid', 'alg'],
      paramValues: { created: now, expires: new Date(now.getTime() + SIGNATURE_MAX_AGE_SECONDS * 1000) },
    },
    { method: request.method, url: request.url, headers },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; reason: string };

/**
 * Verifies a signed agency request (what an agency does; the sandbox uses it). `secretFor` gives
 * the key of the agency the request is for; the keyid must name that agency.
 */
export async function verifyAgencyRequest(
  request: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: Buffer },
  expectedKeyId: string,
  secret: Buffer,
): Promise<SignatureCheck> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  if (!headers['signature'] || !headers['signature-input']) return { ok: false, reason: 'the request is not signed (Signature and Signature-Input missing)' };
  const digest = headers['content-digest'];
  if (!digest) return { ok: false, reason: 'Content-Digest is missing' };
  const expected = Buffer.from(contentDigest(request.body));
  const given = Buffer.from(digest);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'Content-Digest does not match the body' };
  let keyProblem: string | undefined;
  try {
    const verified = await httpbis.verifyMessage(
      {
        keyLookup: async (params: SignatureParameters) => {
          if (params.keyid !== expectedKeyId) {
            keyProblem = `keyid '${String(params.keyid)}' is not '${expectedKeyId}'`;
            return null;
          }
          return {
            id: expectedKeyId,
            algs: ['hmac-sha256'],
            verify: async (data: Buffer, signature: Buffer) => {
              const mac = createHmac('sha256', secret).update(data).digest();
              return mac.length === signature.length && timingSafeEqual(mac, signature);
            },
          };
        },
        requiredFields: [...SIGNED_COMPONENTS],
        requiredParams: ['created', 'keyid'],
        maxAge: SIGNATURE_MAX_AGE_SECONDS,
        tolerance: 30,
      },
      { method: request.method, url: request.url, headers },
    );
    if (verified) return { ok: true, keyId: expectedKeyId };
    return { ok: false, reason: keyProblem ?? 'the signature does not verify with the agency key' };
  } catch (err) {
    return { ok: false, reason: keyProblem ?? `the signature does not verify: ${(err as Error).message}` };
  }
}
