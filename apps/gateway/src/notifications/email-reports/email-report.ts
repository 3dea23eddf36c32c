import type { FieldProblem } from '../../common/problem';

/** A mail report as the mail side posts it (the raw body is checked against its signature first). */
export interface EmailReport {
  /** The Message-ID of the e-mail reported on, as sent: `<delivery id@…>`. */
  messageId: string;
  status: 'delivered' | 'bounced';
  at: string;
  /** The mail server's answer, e.g. `550 5.1.1 mailbox unknown`. */
  error?: string;
}

const DELIVERY_IN_MESSAGE_ID = /^<?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^>\s]+>?$/i;

/** The delivery a Message-ID names (the dispatcher sends `<delivery id@levensloop.local>`), or null. */
export const deliveryOfMessageId = (messageId: string): string | null => DELIVERY_IN_MESSAGE_ID.exec(messageId.trim())?.[1]?.toLowerCase() ?? null;

/** Checks a mail report's shape; every problem at once, each at its JSON pointer. */
export function parseEmailReport(input: unknown): { ok: true; value: EmailReport } | { ok: false; errors: FieldProblem[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', message: 'The body must be a JSON object { messageId, status, at, error? }.' }] };
  }
  const r = input as Record<string, unknown>;
  const errors: FieldProblem[] = [];
  if (typeof r.messageId !== 'string' || !r.messageId.trim() || r.messageId.length > 200) {
    errors.push({ path: '/messageId', message: 'messageId must be the Message-ID of the e-mail as it was sent (1 to 200 characters)' });
  }
  if (r.status !== 'delivered' && r.status !== 'bounced') errors.push({ path: '/status', message: "status must be 'delivered' or 'bounced'" });
  if (typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at))) errors.push({ path: '/at', message: 'at must be an ISO-8601 time' });
  if (r.error !== undefined && (typeof r.error !== 'string' || r.error.length > 1000)) errors.push({ path: '/error', message: 'error, when given, must be a text of at most 1000 characters' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: { messageId: (r.messageId as string).trim(), status: r.status as EmailReport['status'], at: r.at as string, ...(typeof r.error === 'string' ? { error: r.error } : {}) },
  };
}
