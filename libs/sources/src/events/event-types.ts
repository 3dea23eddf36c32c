import { isEnterpriseNumber, isNationalNumber, valueAt, type SubjectType } from '@levensloop/domain';
import type { SourceEventInput } from '@levensloop/contracts/workflow';

/** A problem with one field of an event's data (JSON pointer and message, as in a problem+json answer). */
export interface EventFieldProblem {
  path: string;
  message: string;
}

/**
 * What each known source event means to the engine:
 * - start: may start life events whose triggers name the type;
 * - annul: the registration it names is void: cancel the journeys it started;
 * - correct / change: a record changed (the data says only which one): tell the subject's open
 *   journeys, whose later steps fetch it again.
 */
export type EventKind = 'start' | 'annul' | 'correct' | 'change';

type FieldType = 'nationalNumber' | 'enterpriseNumber' | 'date' | 'string' | 'nationalNumbers' | 'strings' | 'object' | 'name';

interface FieldSpec {
  /** Dotted path in `data`. */
  path: string;
  type: FieldType;
  required?: boolean;
}

export interface EventTypeSpec {
  type: string;
  source: string;
  kind: EventKind;
  /** Where the event's subject is in `data`. */
  subject: { type: SubjectType; path: string };
  /** For annulments: the type of the registration it annuls. */
  annuls?: string;
  /** Said in reasons and results, e.g. "birth registration". */
  description: string;
  fields: FieldSpec[];
}

const spec = (s: EventTypeSpec) => s;

export const EVENT_TYPES: Record<string, EventTypeSpec> = Object.fromEntries(
  [
    spec({
      type: 'be.national-register.birth.registered',
      source: 'national-register',
      kind: 'start',
      subject: { type: 'person', path: 'child.nationalNumber' },
      description: 'birth registration',
      fields: [
        { path: 'child', type: 'object', required: true },
        { path: 'child.nationalNumber', type: 'nationalNumber', required: true },
        { path: 'child.birthDate', type: 'date', required: true },
        { path: 'child.name', type: 'name' },
        { path: 'parents', type: 'nationalNumbers', required: true },
        { path: 'municipality', type: 'string' },
      ],
    }),
    spec({
      type: 'be.national-register.birth.annulled',
      source: 'national-register',
      kind: 'annul',
      annuls: 'be.national-register.birth.registered',
      subject: { type: 'person', path: 'child.nationalNumber' },
      description: 'annulment of a birth registration',
      fields: [
        { path: 'child', type: 'object', required: true },
        { path: 'child.nationalNumber', type: 'nationalNumber', required: true },
      ],
    }),
    spec({
      type: 'be.national-register.person.changed',
      source: 'national-register',
      kind: 'change',
      subject: { type: 'person', path: 'nationalNumber' },
      description: 'change of a person record',
      fields: [{ path: 'nationalNumber', type: 'nationalNumber', required: true }],
    }),
    spec({
      type: 'be.national-register.person.corrected',
      source: 'national-register',
      kind: 'correct',
      subject: { type: 'person', path: 'nationalNumber' },
      description: 'correction of a person record',
      fields: [
        { path: 'nationalNumber', type: 'nationalNumber', required: true },
        { path: 'fields', type: 'strings', required: true },
      ],
    }),
    spec({
      type: 'be.enterprise-register.enterprise.registered',
      source: 'enterprise-register',
      kind: 'start',
      subject: { type: 'enterprise', path: 'enterprise.enterpriseNumber' },
      description: 'enterprise registration',
      fields: [
        { path: 'enterprise', type: 'object', required: true },
        { path: 'enterprise.enterpriseNumber', type: 'enterpriseNumber', required: true },
        { path: 'enterprise.name', type: 'string', required: true },
        { path: 'enterprise.founder', type: 'nationalNumber' },
      ],
    }),
  ].map((s) => [s.type, s]),
);

/** The annulment types that void registrations of this type. */
export const annulmentsOf = (type: string): string[] =>
  Object.values(EVENT_TYPES)
    .filter((t) => t.annuls === type)
    .map((t) => t.type);

/**
 * The `sourceEvent` workflow's input for a stored event: what its type means (undefined for a
 * type no longer known). The gateway starts it on receipt, the inbox sweep for rows left unstarted.
 */
export function sourceEventInputOf(source: string, eventId: string, type: string): SourceEventInput | undefined {
  const spec = EVENT_TYPES[type];
  if (!spec) return undefined;
  return {
    source,
    eventId,
    kind: spec.kind,
    ...(spec.annuls ? { annuls: { type: spec.annuls, description: EVENT_TYPES[spec.annuls]?.description ?? spec.annuls } } : {}),
    annulledBy: annulmentsOf(type),
  };
}

export const knownTypesOf = (source?: string): string[] =>
  Object.values(EVENT_TYPES)
    .filter((t) => !source || t.source === source)
    .map((t) => t.type);

// Shared with the worker, which plans what a trigger starts.
export { valueAt, isNationalNumber, isEnterpriseNumber } from '@levensloop/domain';

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const CHECKS: Record<FieldType, { ok: (v: unknown) => boolean; expected: string }> = {
  nationalNumber: { ok: isNationalNumber, expected: 'a national number: 11 digits without dots or dashes, with a valid check number (e.g. 85073003328)' },
  enterpriseNumber: { ok: isEnterpriseNumber, expected: 'an enterprise number: 10 digits without dots, with a valid check number (e.g. 0123456749)' },
  date: { ok: isDate, expected: 'a date as YYYY-MM-DD' },
  string: { ok: (v) => typeof v === 'string' && v.length > 0 && v.length <= 500, expected: 'a non-empty string (at most 500 characters)' },
  object: { ok: isRecord, expected: 'an object' },
  name: {
    ok: (v) => (typeof v === 'string' && v.length > 0 && v.length <= 500) || (isRecord(v) && Object.values(v).every((x) => typeof x === 'string')),
    expected: 'a name: a string, or { "given": "...", "family": "..." }',
  },
  nationalNumbers: { ok: (v) => Array.isArray(v) && v.length <= 10 && v.every(isNationalNumber), expected: 'a list of at most 10 national numbers (11 digits each, valid check number)' },
  strings: { ok: (v) => Array.isArray(v) && v.length > 0 && v.length <= 100 && v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 200), expected: 'a non-empty list of field names' },
};

/** Problems with an event's data for its type, as JSON pointers from `pointer` (the event). */
export function checkEventData(spec: EventTypeSpec, data: Record<string, unknown>, pointer: string): EventFieldProblem[] {
  const problems: EventFieldProblem[] = [];
  for (const field of spec.fields) {
    const value = valueAt(data, field.path);
    const path = `${pointer}/data/${field.path.split('.').join('/')}`;
    if (value === undefined) {
      // A missing parent already said so; do not repeat it for every child field.
      if (field.required && !problems.some((p) => path.startsWith(`${p.path}/`))) {
        problems.push({ path, message: `${spec.type} needs data.${field.path}: ${CHECKS[field.type].expected}` });
      }
    } else if (!CHECKS[field.type].ok(value)) {
      problems.push({ path, message: `data.${field.path} must be ${CHECKS[field.type].expected}` });
    }
  }
  return problems;
}
