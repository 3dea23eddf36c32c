import { pointerSegment, type LifeEventTrigger, type Problem } from '@levensloop/domain';
import { EventTypes, type Db } from '@levensloop/persistence';
import { EVENT_TYPES, type EventKind, type EventTypeMap, type EventTypeSpec } from '@levensloop/sources';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The event types known in `db` (the caller's transaction): the built-in ones overlaid with the latest registration of each. */
export async function knownEventTypes(db: Db): Promise<EventTypeMap> {
  const known: EventTypeMap = { ...EVENT_TYPES };
  for (const row of await new EventTypes(db).latest()) {
    known[row.type] = {
      type: row.type,
      source: row.source,
      kind: row.kind as EventKind,
      subject: { type: row.subject_type as EventTypeSpec['subject']['type'], path: row.subject_path },
      ...(row.annuls ? { annuls: row.annuls } : {}),
      description: row.description,
      schema: row.schema,
    };
  }
  return known;
}

/**
 * Where a dotted path leaves what the schema declares: the first segment missing from the
 * `properties` of an object schema that lists them (a level without `properties` accepts any
 * name, so only declared shapes are held to). Undefined when the path fits.
 */
export function undeclaredSegment(schema: unknown, path: string): { segment: string; at: string; declared: string[] } | undefined {
  let node: unknown = schema;
  const seen: string[] = [];
  for (const segment of path.split('.')) {
    if (!isRecord(node) || !isRecord(node.properties)) return undefined;
    const declared = Object.keys(node.properties);
    if (!declared.includes(segment)) return { segment, at: seen.length ? `data.${seen.join('.')}` : 'data', declared };
    node = node.properties[segment];
    seen.push(segment);
  }
  return undefined;
}

/**
 * Problems with a life event's triggers against the event types the engine knows: each names a
 * registered type of kind `start` (only those start journeys), and the paths it reads from the
 * event (`subject.path`, `data`, `mandates.path`) are declared by that type's JSON Schema where it
 * declares properties. Shapes the domain validation refuses are left to it.
 */
export function triggerTypeProblems(triggers: unknown, known: EventTypeMap): Problem[] {
  if (!Array.isArray(triggers)) return [];
  const problems: Problem[] = [];
  const starts = Object.values(known).filter((t) => t.kind === 'start').map((t) => t.type).sort();
  triggers.forEach((raw: unknown, i) => {
    if (!isRecord(raw) || typeof raw.eventType !== 'string') return;
    const t = raw as unknown as LifeEventTrigger;
    const path = `/triggers/${i}`;
    const type = known[t.eventType];
    if (!type) {
      problems.push({ path: `${path}/eventType`, message: `trigger ${i} names '${t.eventType}', which is not a registered event type: register it first (POST /event-types or infra/catalog/event-types), or use one of ${starts.join(', ')}` });
      return;
    }
    if (type.kind !== 'start') {
      problems.push({ path: `${path}/eventType`, message: `trigger ${i} names '${t.eventType}', an event type of kind '${type.kind}', which starts nothing: a trigger names a type of kind start (${starts.join(', ')})` });
      return;
    }
    const check = (at: string, value: unknown, what: string) => {
      if (typeof value !== 'string') return;
      const gap = undeclaredSegment(type.schema, value);
      if (gap) {
        problems.push({
          path: at,
          message: `trigger ${i} reads ${what} at '${value}', but the schema of ${t.eventType} declares no '${gap.segment}' in ${gap.at} (it declares ${gap.declared.length ? gap.declared.join(', ') : 'nothing'}): use a path the event type declares, or register the type again with it`,
        });
      }
    };
    if (isRecord(t.subject)) check(`${path}/subject/path`, t.subject.path, 'the subject');
    if (isRecord(t.data)) for (const [name, from] of Object.entries(t.data)) check(`${path}/data/${pointerSegment(name)}`, from, `'${name}'`);
    if (isRecord(t.mandates)) check(`${path}/mandates/path`, t.mandates.path, 'the mandate holders');
  });
  return problems;
}
