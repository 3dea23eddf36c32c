import { preparedRows, queryRows } from '../query';
import { AuditLog } from './audit-log.repository';
import type { Db } from './db';

/** One registered version of an event type (table `event_types`). */
export interface EventTypeRow {
  type: string;
  version: number;
  source: string;
  kind: string;
  subject_type: string;
  subject_path: string;
  annuls: string | null;
  description: string;
  schema: Record<string, unknown>;
  registered_at: Date;
  registered_by: string;
}

export type NewEventTypeVersion = Omit<EventTypeRow, 'version' | 'registered_at' | 'registered_by'>;

const COLUMNS = 'type, version, source, kind, subject_type, subject_path, annuls, description, schema, registered_at, registered_by';

/**
 * The registered event types (writer: the catalog, in the gateway and the CLI). A registration
 * that changes a type adds a version; the latest version counts. Readers keep the list cached
 * (libs/catalog's EventTypeRegistry): the hot path of `POST /events` does not read this table.
 */
export class EventTypes {
  constructor(private readonly db: Db) {}

  /** The latest version of every registered type, in one round trip. */
  latest(): Promise<EventTypeRow[]> {
    return preparedRows<EventTypeRow>(this.db, 'event_types_latest', `SELECT DISTINCT ON (type) ${COLUMNS} FROM event_types ORDER BY type, version DESC`);
  }

  /** Every version of one type, newest first. */
  versions(type: string): Promise<EventTypeRow[]> {
    return queryRows<EventTypeRow>(this.db, `SELECT ${COLUMNS} FROM event_types WHERE type = $1 ORDER BY version DESC`, [type]);
  }

  /**
   * Adds the next version of `row.type` and its audit row, in the caller's transaction (`db`
   * should be one: an advisory lock on the type serialises two registrations of it).
   */
  async addVersion(row: NewEventTypeVersion, actor: string): Promise<EventTypeRow> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`event-type:${row.type}`]);
    const [saved] = await queryRows<EventTypeRow>(
      this.db,
      `INSERT INTO event_types (type, version, source, kind, subject_type, subject_path, annuls, description, schema, registered_by)
       SELECT $1::varchar, coalesce(max(version), 0) + 1, $2::varchar, $3::varchar, $4::varchar, $5::varchar, $6::varchar, $7::varchar, $8::jsonb, $9::varchar FROM event_types WHERE type = $1::varchar
       RETURNING ${COLUMNS}`,
      [row.type, row.source, row.kind, row.subject_type, row.subject_path, row.annuls, row.description, JSON.stringify(row.schema), actor],
    );
    await new AuditLog(this.db).append({ actor, action: 'event_type.registered', targetType: 'event_type', targetId: `${row.type}@${saved.version}`, detail: { source: row.source, kind: row.kind } });
    return saved;
  }
}
