import Ajv, { type ErrorObject } from 'ajv';
import { isEnterpriseNumber, isNationalNumber } from '@levensloop/domain';

/** A problem with one field of an event's data (JSON pointer and message, as in a problem+json answer). */
export interface EventFieldProblem {
  path: string;
  message: string;
}

/** A JSON Schema (draft-07) of an event's data. */
export type EventDataSchema = Record<string, unknown>;

const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * One validator for every type's schema (ajv, draft-07), with the formats of the registers:
 * `national-number` and `enterprise-number` (check digits included) and `date` (a real day).
 * An unknown format is an error when the schema is compiled, so a typo cannot pass everything.
 */
// Strict mode: an unknown keyword or format fails to compile (a typo cannot pass everything).
const ajv = new Ajv({ allErrors: true, verbose: true });
ajv.addFormat('national-number', (v: string) => isNationalNumber(v));
ajv.addFormat('enterprise-number', (v: string) => isEnterpriseNumber(v));
ajv.addFormat('date', isDate);

type Check = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
const compiled = new WeakMap<object, Check>();

/** Compiles a schema (kept per schema object), or says why it does not compile. */
export function compileEventSchema(schema: EventDataSchema): { check: Check } | { error: string } {
  const known = compiled.get(schema);
  if (known) return { check: known };
  try {
    const check = ajv.compile(schema) as Check;
    compiled.set(schema, check);
    return { check };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The field an error is reported at: the deepest part of `pointer` the schema names through
 * `properties` (an error inside a list or a free-form object is the field's), and its schema.
 */
function fieldOf(schema: EventDataSchema, pointer: string): { segments: string[]; schema: Record<string, unknown> } {
  let at: Record<string, unknown> = schema;
  const segments: string[] = [];
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next = isRecord(at.properties) ? at.properties[seg] : undefined;
    if (!isRecord(next)) break;
    segments.push(seg);
    at = next;
  }
  return { segments, schema: at };
}

const pointerOf = (segments: string[]) => segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/**
 * Problems with an event's data for its type's schema, as JSON pointers from `pointer` (the
 * event): one per field, said with the field's `description` (what it must be) when it has one;
 * a missing parent is said once, not for each of its fields.
 */
export function checkDataAgainst(type: string, schema: EventDataSchema, data: Record<string, unknown>, pointer: string): EventFieldProblem[] {
  const compiledSchema = compileEventSchema(schema);
  if ('error' in compiledSchema) return [{ path: `${pointer}/type`, message: `the schema of ${type} does not compile (${compiledSchema.error}); its registration must be fixed` }];
  const { check } = compiledSchema;
  if (check(data)) return [];
  const problems: EventFieldProblem[] = [];
  const seen = new Set<string>();
  for (const e of check.errors ?? []) {
    const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty.replace(/^\./, '') : undefined;
    const { segments, schema: field } = fieldOf(schema, missing === undefined ? e.instancePath : `${e.instancePath}/${missing}`);
    if (missing !== undefined && segments[segments.length - 1] !== missing) segments.push(missing);
    const path = `${pointer}/data${pointerOf(segments)}`;
    if (seen.has(path)) continue;
    seen.add(path);
    const dotted = segments.join('.');
    const expected = typeof field.description === 'string' ? field.description : undefined;
    problems.push({
      path,
      message:
        missing !== undefined
          ? `${type} needs data.${dotted}${expected ? `: ${expected}` : ''}`
          : `${dotted ? `data.${dotted}` : 'data'} ${expected ? `must be ${expected}` : (e.message ?? 'is not valid')}`,
    });
  }
  return problems;
}
