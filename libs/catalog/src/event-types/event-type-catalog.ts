import type { DataSource } from 'typeorm';
import { EventTypes, type EventTypeRow } from '@levensloop/persistence';
import { EVENT_TYPES, validateEventType, type EventKind, type EventTypeMap, type EventTypeSpec } from '@levensloop/sources';
import type { SubjectType } from '@levensloop/domain';
import { assertValid, notFound } from '../catalog-error';
import { canonicalJson } from '../normalise';

/** An event type as the API shows it: its definition, its version (0: built in) and who registered it. */
export interface EventTypeView extends EventTypeSpec {
  version: number;
  builtIn: boolean;
  registeredAt?: Date;
  registeredBy?: string;
}

const viewOf = (row: EventTypeRow): EventTypeView => ({
  type: row.type,
  source: row.source,
  kind: row.kind as EventKind,
  subject: { type: row.subject_type as SubjectType, path: row.subject_path },
  ...(row.annuls ? { annuls: row.annuls } : {}),
  description: row.description,
  schema: row.schema,
  version: row.version,
  builtIn: false,
  registeredAt: row.registered_at,
  registeredBy: row.registered_by,
});

const definitionOf = (v: EventTypeSpec): EventTypeSpec => ({
  type: v.type,
  source: v.source,
  kind: v.kind,
  subject: { type: v.subject.type, path: v.subject.path },
  ...(v.annuls ? { annuls: v.annuls } : {}),
  description: v.description,
  schema: v.schema,
});
export const sameEventType = (a: EventTypeSpec, b: EventTypeSpec) => canonicalJson(definitionOf(a)) === canonicalJson(definitionOf(b));

/** How long a gateway or worker keeps the list before reading it again (a registration elsewhere shows within this). */
const DEFAULT_TTL_MS = 10_000;
/** An unknown type reads the list again at most this often (a type just registered on another gateway). */
const MISS_REFRESH_MS = 1_000;

/**
 * The event types the engine knows: the built-in ones (libs/sources) overlaid with the latest
 * registered version of each type. Kept in memory and read again after `ttlMs`, on a miss (at
 * most once a second) and at once after a registration through this instance, so the hot path
 * of `POST /events` costs no round trip.
 */
export class EventTypeCatalog {
  private readonly repo: EventTypes;
  private cache?: { at: number; views: Map<string, EventTypeView>; map: EventTypeMap };
  private loading?: Promise<NonNullable<EventTypeCatalog['cache']>>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlMs = DEFAULT_TTL_MS,
  ) {
    this.repo = new EventTypes(dataSource);
  }

  /** Every known type by name (for `sourceEventInputOf`, `knownTypesOf`). */
  async known(): Promise<EventTypeMap> {
    return (await this.current()).map;
  }

  /** One type, or undefined; an unknown type reads the registrations again (at most once a second). */
  async find(type: string): Promise<EventTypeView | undefined> {
    let cache = await this.current();
    if (!cache.views.has(type) && Date.now() - cache.at > MISS_REFRESH_MS) cache = await this.reload();
    return cache.views.get(type);
  }

  async list(): Promise<EventTypeView[]> {
    return [...(await this.reload()).views.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  async get(type: string): Promise<EventTypeView> {
    const view = (await this.reload()).views.get(type);
    if (!view) throw notFound(`Event type '${type}'`);
    return view;
  }

  /** Every registered version of a type, newest first (a built-in type without registrations: its built-in definition). */
  async versions(type: string): Promise<EventTypeView[]> {
    const rows = (await this.repo.versions(type)).map(viewOf);
    const builtIn = EVENT_TYPES[type];
    const all = builtIn ? [...rows, { ...builtIn, version: 0, builtIn: true }] : rows;
    if (!all.length) throw notFound(`Event type '${type}'`);
    return all;
  }

  /**
   * Registers a type (checked as the API and the CLI check it: 422 with what to fix): a new
   * version when it differs from the one known, nothing when it is the same. Audited.
   */
  async register(def: EventTypeSpec, actor: string): Promise<{ view: EventTypeView; created: boolean }> {
    const known = await this.reload();
    assertValid('The event type', validateEventType(def, known.map));
    const current = known.views.get(def.type);
    if (current && sameEventType(current, def)) return { view: current, created: false };
    const row = await this.dataSource.transaction((tx) =>
      new EventTypes(tx).addVersion(
        { type: def.type, source: def.source, kind: def.kind, subject_type: def.subject.type, subject_path: def.subject.path, annuls: def.annuls ?? null, description: def.description, schema: def.schema },
        actor,
      ),
    );
    this.invalidate();
    return { view: viewOf(row), created: true };
  }

  invalidate(): void {
    this.cache = undefined;
  }

  private async current() {
    if (this.cache && Date.now() - this.cache.at < this.ttlMs) return this.cache;
    return this.reload();
  }

  private reload() {
    this.loading ??= this.repo
      .latest()
      .then((rows) => {
        const views = new Map<string, EventTypeView>(Object.values(EVENT_TYPES).map((t) => [t.type, { ...t, version: 0, builtIn: true }]));
        for (const row of rows) views.set(row.type, viewOf(row));
        const map: EventTypeMap = Object.fromEntries([...views].map(([k, v]) => [k, definitionOf(v)]));
        this.cache = { at: Date.now(), views, map };
        return this.cache;
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
