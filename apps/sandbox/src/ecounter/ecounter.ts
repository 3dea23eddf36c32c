import { isDateTime, isHttpUrl, isObject, type FieldError } from '../sms/channel-http';

export const DEFAULT_ECOUNTER_TOKEN = 'sandbox-ecounter-token';
export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export const STATUS_CODES = ['received', 'in_progress', 'action_needed', 'decided', 'completed', 'stopped'] as const;
export const PARTY_TYPES = ['person', 'enterprise'] as const;

export type Language = (typeof LANGUAGES)[number];
export type StatusCode = (typeof STATUS_CODES)[number];

/** A person (national number, 11 digits) or an enterprise (enterprise number, 10 digits). */
export interface Party {
  type: (typeof PARTY_TYPES)[number];
  id: string;
}

export interface NotificationRequest {
  recipient: Party;
  category: string;
  title: string;
  body: string;
  link: string;
  transactionId: string;
  actionNeeded: boolean;
  language: Language;
  expiresAt?: string;
}

export interface StoredNotification extends NotificationRequest {
  id: string;
  idempotencyKey: string;
  receivedAt: string;
}

export interface DossierUpdate {
  seq: number;
  subject: Party;
  audience: string[];
  title: string;
  statusCode: StatusCode;
  phase: string;
  actionNeeded: { flag: boolean; text?: string };
  link: string;
  updatedAt: string;
  language: Language;
}

export interface DossierHistoryEntry {
  seq: number;
  receivedAt: string;
  /** False when a newer (or the same) seq was already stored: a late delivery. */
  applied: boolean;
  update: DossierUpdate;
}

export interface Dossier extends DossierUpdate {
  dossierNumber: string;
  receivedAt: string;
}

const PARTY_ID: Record<Party['type'], RegExp> = { person: /^\d{11}$/, enterprise: /^[01]\d{9}$/ };
const ANY_PARTY_ID = /^(\d{11}|[01]\d{9})$/;
export const DOSSIER_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

type Check = { errors: FieldError[]; body: Record<string, unknown> };

const text = (c: Check, name: string, max: number, { optional = false, empty = false } = {}) => {
  const v = c.body[name];
  if (v === undefined && optional) return;
  if (typeof v !== 'string' || (!empty && v.trim() === '') || v.length > max) {
    c.errors.push({ pointer: `/${name}`, detail: `${name} must be a ${empty ? '' : 'non-empty '}string of at most ${max} characters.` });
  }
};
const unknownFields = (c: Check, pointer: string, value: Record<string, unknown>, allowed: string[]) => {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) c.errors.push({ pointer: `${pointer}/${key}`, detail: `Unknown field "${key}"; use ${allowed.join(', ')}.` });
};
const party = (c: Check, name: string) => {
  const v = c.body[name];
  if (!isObject(v)) return c.errors.push({ pointer: `/${name}`, detail: `${name} must be { type: person | enterprise, id }.` });
  unknownFields(c, `/${name}`, v, ['type', 'id']);
  if (!(PARTY_TYPES as readonly unknown[]).includes(v.type)) c.errors.push({ pointer: `/${name}/type`, detail: `${name}.type must be person or enterprise.` });
  else if (typeof v.id !== 'string' || !PARTY_ID[v.type as Party['type']].test(v.id)) {
    c.errors.push({ pointer: `/${name}/id`, detail: `${name}.id must be ${v.type === 'person' ? 'a national number of 11 digits' : 'an enterprise number of 10 digits'}, without dots.` });
  }
};
const language = (c: Check) => {
  if (!(LANGUAGES as readonly unknown[]).includes(c.body.language)) c.errors.push({ pointer: '/language', detail: `language must be one of ${LANGUAGES.join(', ')}.` });
};
const link = (c: Check) => {
  if (!isHttpUrl(c.body.link)) c.errors.push({ pointer: '/link', detail: 'link must be an http(s) URL (the deep link into the journey).' });
};

type Parse<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
const NOTIFICATION_FIELDS = ['recipient', 'category', 'title', 'body', 'link', 'transactionId', 'actionNeeded', 'language', 'expiresAt'];
const DOSSIER_FIELDS = ['seq', 'subject', 'audience', 'title', 'statusCode', 'phase', 'actionNeeded', 'link', 'updatedAt', 'language'];

/** Validates a `POST /ecounter/notifications` body, naming every bad field. */
export function parseNotification(input: unknown): Parse<NotificationRequest> {
  if (!isObject(input)) return { ok: false, errors: [{ pointer: '', detail: `The body must be a JSON object with ${NOTIFICATION_FIELDS.join(', ')}.` }] };
  const c: Check = { errors: [], body: input };
  unknownFields(c, '', input, NOTIFICATION_FIELDS);
  party(c, 'recipient');
  if (typeof input.category !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,99}$/.test(input.category)) c.errors.push({ pointer: '/category', detail: 'category must be a key of lower-case letters, digits, ".", "_" or "-" (at most 100).' });
  text(c, 'title', 200);
  text(c, 'body', 4000);
  link(c);
  text(c, 'transactionId', 200);
  if (typeof input.actionNeeded !== 'boolean') c.errors.push({ pointer: '/actionNeeded', detail: 'actionNeeded must be true or false.' });
  language(c);
  if (input.expiresAt !== undefined && !isDateTime(input.expiresAt)) c.errors.push({ pointer: '/expiresAt', detail: 'expiresAt, when given, must be an ISO-8601 date-time with a zone, e.g. 2027-01-31T23:59:59Z.' });
  return c.errors.length ? { ok: false, errors: c.errors } : { ok: true, value: input as unknown as NotificationRequest };
}

/** Validates a `PUT /ecounter/dossiers/:dossierNumber` body, listing every problem. */
export function parseDossierUpdate(input: unknown): Parse<DossierUpdate> {
  if (!isObject(input)) return { ok: false, errors: [{ pointer: '', detail: `The body must be a JSON object with ${DOSSIER_FIELDS.join(', ')}.` }] };
  const c: Check = { errors: [], body: input };
  unknownFields(c, '', input, DOSSIER_FIELDS);
  if (!Number.isSafeInteger(input.seq) || (input.seq as number) < 0) c.errors.push({ pointer: '/seq', detail: 'seq must be an integer >= 0 that grows with every update of the dossier.' });
  party(c, 'subject');
  const audience = input.audience;
  if (!Array.isArray(audience) || audience.length === 0 || audience.length > 100) {
    c.errors.push({ pointer: '/audience', detail: 'audience must be a list of 1 to 100 ids (national or enterprise numbers) who may see the dossier: the subject and mandate holders.' });
  } else {
    audience.forEach((id, i) => {
      if (typeof id !== 'string' || !ANY_PARTY_ID.test(id)) c.errors.push({ pointer: `/audience/${i}`, detail: `audience[${i}] must be a national number (11 digits) or an enterprise number (10 digits).` });
    });
    const subjectId = isObject(input.subject) ? input.subject.id : undefined;
    if (typeof subjectId === 'string' && !audience.includes(subjectId)) c.errors.push({ pointer: '/audience', detail: 'audience must include the subject\'s id: the subject always sees its own dossier.' });
  }
  text(c, 'title', 200);
  if (!(STATUS_CODES as readonly unknown[]).includes(input.statusCode)) c.errors.push({ pointer: '/statusCode', detail: `statusCode must be one of ${STATUS_CODES.join(', ')}.` });
  text(c, 'phase', 500, { empty: true });
  const action = input.actionNeeded;
  if (!isObject(action) || typeof action.flag !== 'boolean') {
    c.errors.push({ pointer: '/actionNeeded', detail: 'actionNeeded must be { flag: boolean, text?: string }.' });
  } else {
    unknownFields(c, '/actionNeeded', action, ['flag', 'text']);
    if (action.text !== undefined && (typeof action.text !== 'string' || action.text.length > 500)) c.errors.push({ pointer: '/actionNeeded/text', detail: 'actionNeeded.text must be a string of at most 500 characters.' });
    if (action.flag === true && (typeof action.text !== 'string' || action.text.trim() === '')) c.errors.push({ pointer: '/actionNeeded/text', detail: 'actionNeeded.text is required when flag is true: tell the citizen what to do.' });
  }
  link(c);
  if (!isDateTime(input.updatedAt)) c.errors.push({ pointer: '/updatedAt', detail: 'updatedAt must be an ISO-8601 date-time with a zone, e.g. 2026-11-24T10:00:00Z.' });
  language(c);
  return c.errors.length ? { ok: false, errors: c.errors } : { ok: true, value: input as unknown as DossierUpdate };
}

/** The e-counter's store: notifications once per idempotency key, dossiers that only move forward in seq. */
export class Ecounter {
  private readonly notifications = new Map<string, StoredNotification>();
  private readonly byKey = new Map<string, string>();
  private readonly dossiers = new Map<string, { current: Dossier; history: DossierHistoryEntry[] }>();
  private sequence = 0;

  notificationByKey(key: string): StoredNotification | undefined {
    const id = this.byKey.get(key);
    return id === undefined ? undefined : this.notifications.get(id);
  }

  addNotification(request: NotificationRequest, idempotencyKey: string): StoredNotification {
    const stored: StoredNotification = { id: `ntf-${String(++this.sequence).padStart(6, '0')}`, ...request, idempotencyKey, receivedAt: new Date().toISOString() };
    this.notifications.set(stored.id, stored);
    this.byKey.set(idempotencyKey, stored.id);
    return stored;
  }

  /** Applies the update only when its seq is newer than the stored one; keeps every update in the history. */
  putDossier(dossierNumber: string, update: DossierUpdate): { applied: true } | { applied: false; currentSeq: number } {
    const receivedAt = new Date().toISOString();
    const existing = this.dossiers.get(dossierNumber);
    const applied = !existing || update.seq > existing.current.seq;
    const entry: DossierHistoryEntry = { seq: update.seq, receivedAt, applied, update };
    if (!existing) {
      this.dossiers.set(dossierNumber, { current: { dossierNumber, ...update, receivedAt }, history: [entry] });
      return { applied: true };
    }
    existing.history.push(entry);
    if (!applied) return { applied: false, currentSeq: existing.current.seq };
    existing.current = { dossierNumber, ...update, receivedAt };
    return { applied: true };
  }

  dossier(dossierNumber: string): (Dossier & { history: DossierHistoryEntry[] }) | undefined {
    const d = this.dossiers.get(dossierNumber);
    return d && { ...d.current, history: d.history };
  }

  /** What the person or enterprise sees on their counter: dossiers whose audience includes them, newest first. */
  dossiersOf(id: string): Dossier[] {
    return [...this.dossiers.values()]
      .map((d) => d.current)
      .filter((d) => d.audience.includes(id))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.dossierNumber.localeCompare(b.dossierNumber));
  }

  /** Their notifications, newest first; expired ones are no longer shown. */
  notificationsOf(id: string, now = Date.now()): StoredNotification[] {
    return [...this.notifications.values()].filter((n) => n.recipient.id === id && (!n.expiresAt || Date.parse(n.expiresAt) > now)).reverse();
  }

  clear(): void {
    this.notifications.clear();
    this.byKey.clear();
    this.dossiers.clear();
  }
}
