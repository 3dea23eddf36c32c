import { isEnterpriseNumber, isNationalNumber, valueAt, type SubjectType } from '@levensloop/domain';
import type { SourceEventInput } from '@levensloop/contracts/workflow';
import { checkDataAgainst, type EventDataSchema, type EventFieldProblem } from './event-data';

export type { EventDataSchema, EventFieldProblem } from './event-data';

/**
 * What each source event means to the engine:
 * - start: may start life events whose triggers name the type;
 * - annul: the registration it names is void: cancel the journeys it started;
 * - correct / change: a record changed (the data says only which one): tell the subject's open
 *   journeys, whose later steps fetch it again.
 */
export type EventKind = 'start' | 'annul' | 'correct' | 'change';
export const EVENT_KINDS: readonly EventKind[] = ['start', 'annul', 'correct', 'change'];

/**
 * An event type: catalog data (`POST /event-types`, infra/catalog/event-types), with the types
 * below built in. The gateway checks an event's data against `schema`; the source-event workflow
 * gets what the type means in its input (kind, what it annuls, what annuls it).
 */
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
  /** JSON Schema (draft-07) of `data`; a property's `description` says what it must be in problems. */
  schema: EventDataSchema;
}

/** The known types by name: the built-in ones, replaced or joined by the registered ones. */
export type EventTypeMap = Record<string, EventTypeSpec>;

// --- the built-in types, as JSON Schema -----------------------------------------------------------

type FieldType = 'nationalNumber' | 'enterpriseNumber' | 'date' | 'string' | 'nationalNumbers' | 'strings' | 'object' | 'name';

const text = { type: 'string', minLength: 1, maxLength: 500 };
const FIELD_SCHEMAS: Record<FieldType, Record<string, unknown>> = {
  nationalNumber: { type: 'string', format: 'national-number', description: 'a national number: 11 digits without dots or dashes, with a valid check number (e.g. 85073003328)' },
  enterpriseNumber: { type: 'string', format: 'enterprise-number', description: 'an enterprise number: 10 digits without dots, with a valid check number (e.g. 0123456749)' },
  date: { type: 'string', format: 'date', description: 'a date as YYYY-MM-DD' },
  string: { ...text, description: 'a non-empty string (at most 500 characters)' },
  object: { type: 'object', description: 'an object' },
  name: { anyOf: [text, { type: 'object', additionalProperties: { type: 'string' } }], description: 'a name: a string, or { "given": "...", "family": "..." }' },
  nationalNumbers: { type: 'array', maxItems: 10, items: { type: 'string', format: 'national-number' }, description: 'a list of at most 10 national numbers (11 digits each, valid check number)' },
  strings: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 }, description: 'a non-empty list of field names' },
};

/** A schema from dotted field paths (`child.birthDate`), parents before their children. */
function schemaOf(fields: Array<{ path: string; type: FieldType; required?: boolean }>): EventDataSchema {
  const root: Record<string, any> = { type: 'object', properties: {} };
  for (const field of fields) {
    const parts = field.path.split('.');
    let parent = root;
    for (const part of parts.slice(0, -1)) parent = parent.properties[part];
    const name = parts[parts.length - 1];
    parent.properties[name] = { ...FIELD_SCHEMAS[field.type], ...(field.type === 'object' ? { properties: {} } : {}) };
    if (field.required) parent.required = [...(parent.required ?? []), name];
  }
  return root;
}

const spec = (s: Omit<EventTypeSpec, 'schema'> & { fields: Parameters<typeof schemaOf>[0] }): EventTypeSpec => {
  const { fields, ...rest } = s;
  return { ...rest, schema: schemaOf(fields) };
};

/** The built-in types (the registry's seed): known to every deployment without a registration. */
export const EVENT_TYPES: EventTypeMap = Object.fromEntries(
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
export const annulmentsOf = (type: string, types: EventTypeMap = EVENT_TYPES): string[] =>
  Object.values(types)
    .filter((t) => t.annuls === type)
    .map((t) => t.type);

/**
 * The `sourceEvent` workflow's input for a stored event: what its type means (undefined for a
 * type no longer known). The gateway starts it on receipt, the inbox sweep for rows left
 * unstarted; both pass the known types (the registry's). The input's shape is that of the
 * workflows already recorded.
 */
export function sourceEventInputOf(source: string, eventId: string, type: string, types: EventTypeMap = EVENT_TYPES): SourceEventInput | undefined {
  const spec = types[type];
  if (!spec) return undefined;
  return {
    source,
    eventId,
    kind: spec.kind,
    ...(spec.annuls ? { annuls: { type: spec.annuls, description: types[spec.annuls]?.description ?? spec.annuls } } : {}),
    annulledBy: annulmentsOf(type, types),
  };
}

export const knownTypesOf = (source?: string, types: EventTypeMap = EVENT_TYPES): string[] =>
  Object.values(types)
    .filter((t) => !source || t.source === source)
    .map((t) => t.type);

// Shared with the worker, which plans what a trigger starts.
export { valueAt, isNationalNumber, isEnterpriseNumber } from '@levensloop/domain';

/**
 * Problems with an event's data for its type, as JSON pointers from `pointer` (the event): its
 * schema's, then the subject's (a valid number of the subject's kind).
 */
export function checkEventData(spec: EventTypeSpec, data: Record<string, unknown>, pointer: string): EventFieldProblem[] {
  const problems = checkDataAgainst(spec.type, spec.schema, data, pointer);
  if (problems.length) return problems;
  const subject = valueAt(data, spec.subject.path);
  const valid = spec.subject.type === 'person' ? isNationalNumber(subject) : isEnterpriseNumber(subject);
  if (!valid) {
    const expected = spec.subject.type === 'person' ? 'a national number: 11 digits with a valid check number' : 'an enterprise number: 10 digits with a valid check number';
    return [{ path: `${pointer}/data/${spec.subject.path.split('.').join('/')}`, message: `data.${spec.subject.path} is the subject of ${spec.type}: it must be ${expected}` }];
  }
  return [];
}
