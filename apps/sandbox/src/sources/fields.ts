import { readPath } from '@levensloop/domain';
import { SOURCE_CATALOG } from '@levensloop/sources';

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

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1];
  // A whole object asked next to one of its parts keeps both: merge rather than overwrite.
  const existing = node[last];
  node[last] = existing && typeof existing === 'object' && !Array.isArray(existing) && value && typeof value === 'object' && !Array.isArray(value) ? { ...value, ...existing } : value;
}

/** Only the requested fields of a record, nested by path; fields the record lacks are left out. */
export function project(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = readPath(record, field);
    if (value !== undefined && value !== null) setPath(out, field, structuredClone(value));
  }
  return out;
}
