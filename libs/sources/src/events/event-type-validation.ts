import { EVENT_TYPE_PATTERN, type Problem } from '@levensloop/domain';
import { SOURCE_CATALOG } from '../catalog';
import { compileEventSchema } from './event-data';
import { EVENT_KINDS, type EventKind, type EventTypeMap, type EventTypeSpec } from './event-types';

const SUBJECT_PATH = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/;
const MAX_SCHEMA_CHARS = 64_000;
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What to fix in an event type before it is registered (the API's 422, the CLI's problems),
 * checked against the types known so far (`known`: an annulment names a start type).
 */
export function validateEventType(def: EventTypeSpec, known: EventTypeMap): Problem[] {
  const problems: Problem[] = [];
  if (typeof def.type !== 'string' || !EVENT_TYPE_PATTERN.test(def.type)) {
    problems.push({ path: '/type', message: 'type must be a CloudEvents type in reverse-DNS style of lower-case letters, digits, dots and dashes, e.g. be.address-register.address.changed' });
  }
  if (!Object.hasOwn(SOURCE_CATALOG, def.source)) {
    problems.push({ path: '/source', message: `unknown source '${String(def.source)}': the sources that may publish events are ${Object.keys(SOURCE_CATALOG).join(', ')}` });
  }
  if (!EVENT_KINDS.includes(def.kind as EventKind)) problems.push({ path: '/kind', message: `kind must be one of ${EVENT_KINDS.join(', ')}` });
  if (typeof def.description !== 'string' || !def.description.trim() || def.description.length > 500) {
    problems.push({ path: '/description', message: 'description says what the event is, as reasons name it (e.g. "change of address"): 1 to 500 characters' });
  }
  if (def.kind === 'annul') {
    const annulled = typeof def.annuls === 'string' ? known[def.annuls] : undefined;
    if (!annulled || annulled.kind !== 'start') {
      problems.push({ path: '/annuls', message: `an annulment names the start type whose registrations it voids (one of: ${Object.values(known).filter((t) => t.kind === 'start').map((t) => t.type).join(', ')})` });
    }
  } else if (def.annuls !== undefined) {
    problems.push({ path: '/annuls', message: 'only a type of kind annul names what it annuls: leave annuls out' });
  }
  if (!isRecord(def.schema)) {
    problems.push({ path: '/schema', message: 'schema is a JSON Schema (draft-07) of the event\'s data: { "type": "object", "properties": { … }, "required": [ … ] }' });
    return problems;
  }
  if (JSON.stringify(def.schema).length > MAX_SCHEMA_CHARS) problems.push({ path: '/schema', message: `schema is at most ${MAX_SCHEMA_CHARS} characters of JSON` });
  if (def.schema.type !== 'object') problems.push({ path: '/schema/type', message: 'an event\'s data is an object: the schema says "type": "object"' });
  // An asynchronous schema would answer with a promise, which reads as "valid".
  if (JSON.stringify(def.schema).includes('"$async"')) problems.push({ path: '/schema', message: 'schema may not use $async: event data is checked synchronously' });
  const compiled = compileEventSchema(def.schema);
  if ('error' in compiled) problems.push({ path: '/schema', message: `the schema does not compile: ${compiled.error}` });
  problems.push(...subjectProblems(def));
  return problems;
}

/** The subject path must be a dotted path that the schema declares and requires at every level, so every valid event has its subject. */
function subjectProblems(def: EventTypeSpec): Problem[] {
  if (!isRecord(def.subject)) return [{ path: '/subject', message: 'subject is { "type": "person" | "enterprise", "path": "dotted.path.in.data" }' }];
  const problems: Problem[] = [];
  if (def.subject.type !== 'person' && def.subject.type !== 'enterprise') problems.push({ path: '/subject/type', message: 'subject type must be person or enterprise' });
  const { path } = def.subject;
  if (typeof path !== 'string' || !SUBJECT_PATH.test(path)) {
    problems.push({ path: '/subject/path', message: 'subject path is a dotted path of property names in the data, e.g. person.nationalNumber' });
    return problems;
  }
  let at: unknown = def.schema;
  for (const part of path.split('.')) {
    const node = isRecord(at) ? at : {};
    const declared = isRecord(node.properties) ? node.properties[part] : undefined;
    const required = Array.isArray(node.required) && node.required.includes(part);
    if (!declared || !required) {
      problems.push({ path: '/subject/path', message: `the schema must declare and require '${part}' of ${path} (in "properties" and "required"), so that every event has its subject` });
      return problems;
    }
    at = declared;
  }
  return problems;
}
