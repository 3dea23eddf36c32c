import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQL for the moment a person born on `birthDate` (an expression giving `YYYY-MM-DD`) turns
 * `years`, at midnight UTC, computed as the gateway's `birthdayAt` does: month and day added to
 * 1 January, so 29 February in a year without it is 1 March (`+ interval '18 years'` gives 28 February).
 */
export function birthdayAtSql(birthDate: string, years: number): string {
  return `((make_date(substr(${birthDate}, 1, 4)::int + ${Number(years)}, 1, 1) + make_interval(months => substr(${birthDate}, 6, 2)::int - 1, days => substr(${birthDate}, 9, 2)::int - 1)) AT TIME ZONE 'UTC')`;
}

/**
 * Mandates get a scope and an end: `access` (`read`: see the subject's journeys; `act`: also
 * complete their tasks and consent for them) and `life_events` (the life events the mandate
 * covers; NULL: every one). Existing rows were all granted by birth events as parents acting in
 * everything, so they become `act` for every life event; a parent's mandate now ends at the
 * child's 18th birthday, taken from the birth registration in the inbox where there is one
 * (`data.child.birthDate`, midnight UTC, as the gateway grants them; of several birth events the
 * first received); rows without a known birth date keep no end.
 */
export class MandateScope1764800000000 implements MigrationInterface {
  name = 'MandateScope1764800000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE mandates ADD COLUMN access varchar(8) NOT NULL DEFAULT 'act';
      ALTER TABLE mandates ADD CONSTRAINT mandates_access_check CHECK (access IN ('read', 'act'));
      ALTER TABLE mandates ADD COLUMN life_events text[];
      UPDATE mandates m
         SET valid_until = ${birthdayAtSql("b.birth_date", 18)}
        FROM (SELECT DISTINCT ON (e.subject) e.subject, e.data->'child'->>'birthDate' AS birth_date
                FROM source_events e
               WHERE e.type = 'be.national-register.birth.registered'
                 AND e.data->'child'->>'birthDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
               ORDER BY e.subject, e.received_at, e.source, e.event_id) b
       WHERE m.kind = 'parent' AND m.valid_until IS NULL AND b.subject = m.subject_id;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE mandates DROP COLUMN life_events;
      ALTER TABLE mandates DROP CONSTRAINT mandates_access_check;
      ALTER TABLE mandates DROP COLUMN access;
    `);
  }
}
