import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Problem } from '@levensloop/domain';
import { validateEventType, type EventTypeMap, type EventTypeSpec } from '@levensloop/sources';
import { CatalogError } from '../catalog-error';
import { sameEventType, type EventTypeCatalog } from './event-type-catalog';

/** What an apply did (or, in a dry run, would do) with the event types: `type@version`. */
export interface EventTypeSummary {
  created: string[];
  unchanged: string[];
}

const FIELDS = new Set(['type', 'source', 'kind', 'subject', 'annuls', 'description', 'schema']);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The event types of a catalog directory (`event-types/*.yaml|yml|json`, each a list or one
 * type), checked in file order as the API checks them (an annulment may name a start type of an
 * earlier entry). Undefined when the directory has none.
 */
export async function checkEventTypeFiles(catalog: EventTypeCatalog, dir: string): Promise<{ entries: EventTypeSpec[]; problems: Problem[] } | undefined> {
  const sub = path.join(dir, 'event-types');
  if (!fs.existsSync(sub) || !fs.statSync(sub).isDirectory()) return undefined;
  const files = fs.readdirSync(sub).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
  const known: EventTypeMap = { ...(await catalog.known()) };
  const entries: EventTypeSpec[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const name = `event-types/${file}`;
    let content: unknown;
    try {
      const text = fs.readFileSync(path.join(sub, file), 'utf8');
      content = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
      problems.push({ path: name, message: `cannot be read: ${(err as Error).message}` });
      continue;
    }
    const list = Array.isArray(content) ? content : [content];
    list.forEach((raw, i) => {
      const at = Array.isArray(content) ? `${name}#/${i}` : `${name}#`;
      if (!isRecord(raw)) return problems.push({ path: at, message: 'an event type is { type, source, kind, subject: { type, path }, annuls?, description, schema }' });
      const unknown = Object.keys(raw).filter((k) => !FIELDS.has(k));
      for (const k of unknown) problems.push({ path: `${at}/${k}`, message: `unknown field '${k}' (an event type has ${[...FIELDS].join(', ')})` });
      const def = raw as unknown as EventTypeSpec;
      const own = validateEventType(def, known);
      problems.push(...own.map((p) => ({ path: `${at}${p.path}`, message: p.message })));
      if (own.length || unknown.length) return;
      if (entries.some((e) => e.type === def.type)) return problems.push({ path: `${at}/type`, message: `${def.type} is defined twice in the files` });
      entries.push(def);
      known[def.type] = def;
    });
  }
  return { entries, problems };
}

/** Registers the checked entries (a new version where one differs, nothing where it is the same). */
export async function registerEventTypes(catalog: EventTypeCatalog, entries: EventTypeSpec[], actor: string, dryRun: boolean): Promise<EventTypeSummary> {
  const summary: EventTypeSummary = { created: [], unchanged: [] };
  const known = await catalog.known();
  for (const def of entries) {
    if (dryRun) {
      if (known[def.type] && sameEventType(known[def.type], def)) summary.unchanged.push(def.type);
      else summary.created.push(def.type);
      continue;
    }
    const { view, created } = await catalog.register(def, actor);
    (created ? summary.created : summary.unchanged).push(`${view.type}@${view.version}`);
  }
  return summary;
}

/** Throws the problems of the event-type files, as the rest of an apply does. */
export function assertEventTypeFiles(checked: { problems: Problem[] } | undefined): void {
  if (checked?.problems.length) {
    throw new CatalogError('invalid', `The event types in the catalog files have ${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'} to fix; nothing was applied.`, checked.problems);
  }
}
