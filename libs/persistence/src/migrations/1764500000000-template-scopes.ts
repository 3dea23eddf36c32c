import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification templates belong to an agency or are global (agency NULL; the rows registered
 * before are global). A message caused by an agency's step uses that agency's template, else the
 * global one, else the built-in default; so the notification row names the agency of the step
 * that caused it (NULL for what concerns the journey as a whole).
 *
 * Versions stay numbered per category and language across every scope (one registration
 * sequence, under the same lock): (category, language, version) remains the key, and the
 * template_version a delivery records still names exactly one row.
 */
export class TemplateScopes1764500000000 implements MigrationInterface {
  name = 'TemplateScopes1764500000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE notification_templates ADD COLUMN agency varchar(64) REFERENCES agencies(code);
      -- The version in force per scope: DISTINCT ON (category, language, agency) walks this index.
      CREATE INDEX notification_templates_scope_idx ON notification_templates (category, language, agency, version DESC);
      ALTER TABLE notifications ADD COLUMN agency varchar(64);
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE notifications DROP COLUMN agency;
      DROP INDEX notification_templates_scope_idx;
      DELETE FROM notification_templates WHERE agency IS NOT NULL;
      ALTER TABLE notification_templates DROP COLUMN agency;
    `);
  }
}
