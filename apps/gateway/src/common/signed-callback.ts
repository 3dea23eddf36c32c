import { createHmac, timingSafeEqual } from 'node:crypto';

/** A callback signed longer ago than this is refused (a captured one cannot be replayed later). */
export const CALLBACK_MAX_AGE_SECONDS = 300;
/** Clock difference allowed for a timestamp in the future. */
export const CALLBACK_MAX_SKEW_SECONDS = 30;

/** What a kind of signed callback is called, and the header that carries its id (the SMS gateway's reports, the mail side's, the payment provider's webhooks). */
export interface SignedCallbackKind {
  /** e.g. "delivery report", "webhook". */
  what: string;
  /** e.g. "X-Report-Id". */
  idHeader: string;
}

export type SignedCallbackCheck = { ok: true; id: string; signedAt: Date } | { ok: false; slug: string; detail: string };

/** How a callback of this kind must be signed, as its 401 problems say. */
export const signatureFormat = ({ what, idHeader }: SignedCallbackKind) =>
  `send ${idHeader} (the ${what}'s id), X-Timestamp (Unix seconds) and X-Signature: sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<${idHeader}>.<raw body>">`;

/**
 * Authenticates a signed callback: the HMAC covers the timestamp, the id and the raw body
 * (compared in constant time over the bytes as received: a re-serialised body would not match),
 * and the timestamp must be at most 5 minutes old and not in the future beyond a small skew.
 */
export function checkSignedCallback(
  kind: SignedCallbackKind,
  rawBody: Buffer | undefined,
  headers: { signature?: string; timestamp?: string; id?: string },
  secret: string,
  nowMs = Date.now(),
): SignedCallbackCheck {
  const format = signatureFormat(kind);
  const m = /^sha256=([0-9a-f]{64})$/i.exec(headers.signature?.trim() ?? '');
  const timestamp = headers.timestamp?.trim() ?? '';
  const id = headers.id?.trim() ?? '';
  if (!rawBody || !secret || !m || !/^\d{1,12}$/.test(timestamp) || !/^[\x21-\x7e]{1,200}$/.test(id)) {
    return { ok: false, slug: 'invalid-signature', detail: `The ${kind.what} is not signed as agreed: ${format}.` };
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.${id}.`).update(rawBody).digest();
  const given = Buffer.from(m[1], 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, slug: 'invalid-signature', detail: `The ${kind.what} is not signed with the shared secret: ${format}.` };
  }
  const age = nowMs / 1000 - Number(timestamp);
  if (age > CALLBACK_MAX_AGE_SECONDS || age < -CALLBACK_MAX_SKEW_SECONDS) {
    return {
      ok: false,
      slug: 'stale-signature',
      detail: `The ${kind.what} was signed at ${new Date(Number(timestamp) * 1000).toISOString()}; only ${kind.what}s signed within the last ${CALLBACK_MAX_AGE_SECONDS / 60} minutes (and at most ${CALLBACK_MAX_SKEW_SECONDS} s ahead) are accepted: sign each attempt anew.`,
    };
  }
  return { ok: true, id, signedAt: new Date(Number(timestamp) * 1000) };
}
