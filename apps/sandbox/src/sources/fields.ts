import { readPath } from '@levensloop/domain';
import { setFieldPath, SOURCE_CATALOG } from '@levensloop/sources';

export type FieldsParse = { ok: true; fields: string[] } | { ok: false; detail: string; unknownFields?: string[] };

/**
 * The `fields` query of a register read: comma-separated field paths of the source catalog.
 * A register answers only named fields (purpose filtering), so the list is required.
 */
export function parseFields(source: string, raw: unknown): FieldsParse {
  const known = Object.keys(SOURCE_CATALOG[source].fields);
  if (raw === undefined || raw === '') return { ok: false, detail: `Name the fields you need: ?fields=a,b (${source} holds ${known.join(', ')}).` };
  if (typeof raw !== 'string') return { ok: false, detail: 'Give fields once, as one comma-separated list.' };
  const fields = [...new Set(raw.split(',').map((f) => f.trim()).filter(Boolean))];
  const unknown = fields.filter((f) => !known.includes(f));
  if (unknown.length) {
    return { ok: false, detail: `${source} holds no field ${unknown.map((f) => `"${f}"`).join(', ')}; it holds ${known.join(', ')}.`, unknownFields: unknown };
  }
  if (!fields.length) return { ok: false, detail: 'fields is empty: name at least one field.' };
  return { ok: true, fields };
}

/** Only the requested fields of a record, nested by path; fields the record lacks are left out. */
export function project(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = readPath(record, field);
    if (value !== undefined && value !== null) setFieldPath(out, field, structuredClone(value));
  }
  return out;
}
