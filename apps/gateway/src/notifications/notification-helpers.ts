import { LANGUAGES, type Language } from '@levensloop/domain';
import { checkSignedCallback } from '../common/signed-callback';
import {
  CHANNEL_SPECS,
  channelSpec,
  channelsFor,
  effectiveContact,
  reportOutcome as outcomeOfReport,
  type Channel,
  type ContactRecord,
  type EffectiveContact,
  type SmsReportOutcome,
} from '@levensloop/notifications';
import type { FieldProblem } from '../common/problem';
import { ProblemException } from '../common/problem';
import type { ContactPreferencesRow } from '@levensloop/persistence';

export type { ContactPreferencesRow };

/**
 * The pure parts of the notification API: masking addresses for caseworkers, keyset cursors over
 * uuid rows, the SMS gateway's signed delivery reports, and a person's contact preferences as
 * they read them back (their own choices over what the register holds).
 */

// ---- masking -------------------------------------------------------------------------------------

/**
 * Enough of an address to recognise it, not enough to use it, as its channel masks it (the first
 * letter of an e-mail's mailbox and its domain, the country code and last two digits of a phone
 * number, the postal code and municipality of a letter; the e-counter's address is the person's id).
 */
export function maskAddress(channel: string, address: string | null | undefined): string | null {
  if (!address) return null;
  return channelSpec(channel)?.mask(address) ?? address;
}

// ---- keyset cursors over (timestamp[, sequence], uuid) ---------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The last row of a page as an opaque cursor: the database's timestamp text (microseconds), a
 * sequence that orders rows of the same instant (e.g. the timeline events of one projection), and
 * the row's uuid.
 */
export function encodeUuidCursor(at: string, id: string, seq = 0): string {
  return Buffer.from(JSON.stringify({ a: at, s: seq, u: id })).toString('base64url');
}

export function decodeUuidCursor(cursor: string): { at: string; seq: number; id: string } {
  try {
    const { a, s, u } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof a !== 'string' || Number.isNaN(Date.parse(a)) || typeof u !== 'string' || !UUID.test(u)) throw new Error();
    const seq = s ?? 0;
    if (!Number.isSafeInteger(seq)) throw new Error();
    return { at: a, seq, id: u };
  } catch {
    throw new ProblemException(400, 'The cursor is not one this API gave out; pass nextCursor from the previous page unchanged.', { slug: 'invalid-cursor' });
  }
}

// ---- SMS delivery reports -------------------------------------------------------------------------

export interface SmsReportHeaders {
  signature?: string;
  timestamp?: string;
  reportId?: string;
}

export type SmsReportCheck = { ok: true; reportId: string; signedAt: Date } | { ok: false; slug: string; detail: string };

/** Authenticates a delivery report (the SMS gateway's or the mail side's): see checkSignedCallback. */
export function checkSmsReport(rawBody: Buffer | undefined, headers: SmsReportHeaders, secret: string, nowMs = Date.now()): SmsReportCheck {
  const check = checkSignedCallback({ what: 'delivery report', idHeader: 'X-Report-Id' }, rawBody, { ...headers, id: headers.reportId }, secret, nowMs);
  return check.ok ? { ok: true, reportId: check.id, signedAt: check.signedAt } : check;
}

/**
 * A delivery report (the SMS gateway's or the mail side's) as the gateway takes it: 503 when its
 * secret is not configured, 401 unless signed as agreed (checkSmsReport), 400 with every problem
 * of its body; else the report id of the signature and the parsed body.
 */
export function signedReport<T>(
  rawBody: Buffer | undefined,
  headers: SmsReportHeaders,
  body: unknown,
  secret: { value: string | undefined; name: string; what: string },
  parse: (input: unknown) => { ok: true; value: T } | { ok: false; errors: FieldProblem[] },
): { reportId: string; signedAt: Date; report: T } {
  if (!secret.value) {
    throw new ProblemException(503, `${secret.what} cannot be checked: ${secret.name} is not set on the gateway.`, { slug: 'callback-not-configured' });
  }
  const signed = checkSmsReport(rawBody, headers, secret.value);
  if (!signed.ok) throw new ProblemException(401, signed.detail, { slug: signed.slug, title: 'Unauthorized' });
  const parsed = parse(body);
  if (!parsed.ok) {
    throw new ProblemException(400, `The delivery report has ${parsed.errors.length} problem(s): ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      slug: 'invalid-request',
      title: 'Invalid request',
      errors: parsed.errors,
    });
  }
  return { reportId: signed.reportId, signedAt: signed.signedAt, report: parsed.value };
}

export interface SmsReport {
  /** The gateway's id of the message (what the dispatcher stored as provider_ref). */
  id: string;
  /** What the dispatcher sent as reference: the delivery id (also the idempotency key). */
  reference: string | null;
  status: 'delivered' | 'failed';
  at: string;
  error?: string;
}

/** Checks a report's shape; every problem at once, each at its JSON pointer. */
export function parseSmsReport(input: unknown): { ok: true; value: SmsReport } | { ok: false; errors: FieldProblem[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', message: 'The body must be a JSON object { id, reference, status, at, error? }.' }] };
  }
  const r = input as Record<string, unknown>;
  const errors: FieldProblem[] = [];
  if (typeof r.id !== 'string' || !r.id || r.id.length > 200) errors.push({ path: '/id', message: "id must be the gateway's message id (1 to 200 characters)" });
  if (r.reference !== undefined && r.reference !== null && (typeof r.reference !== 'string' || r.reference.length > 256)) {
    errors.push({ path: '/reference', message: 'reference must be the reference sent with the message, or null' });
  }
  if (r.status !== 'delivered' && r.status !== 'failed') errors.push({ path: '/status', message: "status must be 'delivered' or 'failed'" });
  if (typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at))) errors.push({ path: '/at', message: 'at must be an ISO-8601 time' });
  if (r.error !== undefined && typeof r.error !== 'string') errors.push({ path: '/error', message: 'error, when given, must be a text' });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id: r.id as string,
      reference: (r.reference as string | null | undefined) ?? null,
      status: r.status as SmsReport['status'],
      at: r.at as string,
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    },
  };
}

/** What a report makes of a delivery (the rule lives with the notifications: the dispatcher applies it). */
export function reportOutcome(report: SmsReport): SmsReportOutcome {
  return outcomeOfReport(report);
}

// ---- contact preferences --------------------------------------------------------------------------


const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/**
 * What is used to reach a person, each value with where it comes from: their own choice, else
 * what the national register holds (listed in `prefilled`), else the default. Without a choice of
 * channels, `channels` shows what a message that asks them to act would use.
 */
export function preferencesView(subject: { type: string; id: string }, row: ContactPreferencesRow | undefined) {
  const record: ContactRecord | undefined = row
    ? { language: row.language, channels: row.channels, email: row.email, phone: row.phone, postalAddress: row.postal_address, prefilled: row.prefilled }
    : undefined;
  const contact = effectiveContact(record);
  const p = row?.prefilled ?? {};
  const prefilled: string[] = [];
  if (!isLanguage(row?.language) && isLanguage(p.language)) prefilled.push('language');
  if (!row?.email && p.email) prefilled.push('email');
  if (!row?.phone && p.phone) prefilled.push('phone');
  if (!row?.postal_address && p.address) prefilled.push('postalAddress');
  const { available, unavailable } = reachableChannels(contact, !!row?.prefilled);
  return {
    subject,
    language: contact.language,
    // The defaults only name channels that reach the person (no letter without a postal address).
    channels: (contact.chosen ?? channelsFor('action.needed', { ...contact, chosen: undefined }).filter((ch) => available.includes(ch))) as Channel[],
    channelsChosen: !!contact.chosen,
    /** The channels PUT /me/preferences accepts as things stand (with the addresses known now). */
    available,
    /** The channels it would refuse, each with why. */
    unavailable,
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    postalAddress: contact.postalAddress ?? null,
    mandateCopies: row?.mandate_copies ?? true,
    prefilled,
    /** What the authentic source holds (read once by the dispatcher); null until it was read. */
    register: row?.prefilled
      ? { name: p.name ?? null, language: p.language ?? null, email: p.email ?? null, phone: p.phone ?? null, postalAddress: p.address ?? null }
      : null,
    updatedAt: row?.updated_at ?? null,
  };
}

/**
 * Which channels can reach the person with what is known now (their own addresses, else the
 * register's): the e-counter always, e-mail with an address, SMS with a phone number, a letter
 * with a postal address — the rule PUT /me/preferences applies. The others, each with why.
 */
export function reachableChannels(
  contact: Pick<EffectiveContact, 'email' | 'phone' | 'postalAddress'>,
  registerRead: boolean,
): { available: Channel[]; unavailable: Array<{ channel: Channel; reason: string }> } {
  const source = registerRead ? 'the register holds none for you' : 'the register was not read for you yet';
  const unreachable = CHANNEL_SPECS.filter((spec) => !spec.reachable(contact));
  return {
    available: CHANNEL_SPECS.filter((spec) => spec.reachable(contact)).map((spec) => spec.key),
    unavailable: unreachable.map((spec) => ({ channel: spec.key, reason: `${spec.needs!.unknown}: give ${spec.needs!.field} (${source})` })),
  };
}

/**
 * A choice of channels that cannot reach the person: e-mail without an address, SMS without a
 * number, a letter without a postal address (their own, or the register's).
 */
export function unreachableChannels(
  choice: { channels: string[]; email?: string | null; phone?: string | null; postalAddress?: Record<string, unknown> | null },
  prefilled: ContactPreferencesRow['prefilled'],
): FieldProblem[] {
  const p = prefilled ?? {};
  const known = { email: choice.email || p.email || undefined, phone: choice.phone || p.phone || undefined, postalAddress: choice.postalAddress || p.address || undefined };
  return CHANNEL_SPECS.filter((spec) => choice.channels.includes(spec.key) && !spec.reachable(known)).map((spec) => ({
    path: `/channels/${choice.channels.indexOf(spec.key)}`,
    message: `${spec.needs!.choiceNeeds}: give ${spec.needs!.field} (the register holds none for you)`,
  }));
}
