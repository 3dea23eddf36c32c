import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event types as catalog data: each registration of a CloudEvents type is a new version (the
 * latest one counts); the built-in types of libs/sources need no row (a row of the same type
 * replaces one). Written by the catalog (gateway, CLI); read by the gateway and the worker.
 */
export class EventTypes1765870000000 implements MigrationInterface {
  name = 'EventTypes1765870000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_types (
        type varchar(200) NOT NULL,
        version integer NOT NULL,
        source varchar(64) NOT NULL,
        kind varchar(16) NOT NULL,
        subject_type varchar(16) NOT NULL,
        subject_path varchar(200) NOT NULL,
        annuls varchar(200),
        description varchar(500) NOT NULL,
        schema jsonb NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        registered_by varchar(255) NOT NULL,
        PRIMARY KEY (type, version)
      );
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS event_types;`);
  }
}
