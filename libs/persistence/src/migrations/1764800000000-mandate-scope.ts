import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mandates get a scope and an end: `access` (`read`: see the subject's journeys; `act`: also
 * complete their tasks and consent for them) and `life_events` (the life events the mandate
 * covers; NULL: every one). Existing rows were all granted by birth events as parents acting in
 * everything, so they become `act` for every life event; a parent's mandate now ends at the
 * child's 18th birthday, taken from the birth registration in the inbox where there is one
 * (`data.child.birthDate`, midnight UTC, as the gateway grants them); rows without a known birth date keep no end.
 */
export class MandateScope1764800000000 implements MigrationInterface {
  name = 'MandateScope1764800000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE mandates ADD COLUMN access varchar(8) NOT NULL DEFAULT 'act';
      ALTER TABLE mandates ADD CONSTRAINT mandates_access_check CHECK (access IN ('read', 'act'));
      ALTER TABLE mandates ADD COLUMN life_events text[];
      UPDATE mandates m
         SET valid_until = ((e.data->'child'->>'birthDate')::date + interval '18 years') AT TIME ZONE 'UTC'
        FROM source_events e
       WHERE m.kind = 'parent' AND m.valid_until IS NULL
         AND e.type = 'be.national-register.birth.registered' AND e.subject = m.subject_id
         AND e.data->'child'->>'birthDate' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
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
