import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A floor under the logs' retention, kept by the database: `log_purge_before` removes nothing
 * written within a log's `min_age` (default one year), whatever cutoff it is given. The runtime
 * login may execute the function but not change the floor (SELECT only), so a compromised process
 * cannot empty the audit or data-access log by asking for a cutoff of now. An operator whose law
 * allows a shorter term lowers the floor as the owner: `UPDATE log_retention_floors SET min_age = …`.
 *
 * The purge itself is the function of 1765600000000, renamed `log_purge_prefix` and no longer
 * executable by the runtime login; the new `log_purge_before` checks the floor and calls it.
 */
export class LogRetentionFloors1765860000000 implements MigrationInterface {
  name = 'LogRetentionFloors1765860000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE log_retention_floors (
        log text PRIMARY KEY CHECK (log IN ('audit_log', 'data_access_log')),
        min_age interval NOT NULL CHECK (min_age >= interval '0')
      );
      INSERT INTO log_retention_floors (log, min_age) VALUES ('audit_log', interval '1 year'), ('data_access_log', interval '1 year');
      REVOKE ALL ON log_retention_floors FROM levensloop_runtime;
      GRANT SELECT ON log_retention_floors TO levensloop_runtime;

      ALTER FUNCTION log_purge_before(text, timestamptz, int) RENAME TO log_purge_prefix;
      REVOKE ALL ON FUNCTION log_purge_prefix(text, timestamptz, int) FROM levensloop_runtime;

      CREATE FUNCTION log_purge_before(p_log text, p_cutoff timestamptz, p_max int)
        RETURNS TABLE (removed_rows int, anchor_id bigint, anchor_hash text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET timezone = 'UTC' AS $fn$
      DECLARE
        floor_age interval;
      BEGIN
        SELECT f.min_age INTO floor_age FROM log_retention_floors f WHERE f.log = p_log;
        IF floor_age IS NULL THEN
          RAISE EXCEPTION 'log_purge_before: % is not a chained log', p_log;
        END IF;
        IF p_cutoff > now() - floor_age THEN
          RAISE EXCEPTION 'log_purge_before: % keeps at least % (log_retention_floors); the cutoff % is later than %', p_log, floor_age, p_cutoff, now() - floor_age
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN QUERY SELECT * FROM log_purge_prefix(p_log, p_cutoff, p_max);
      END
      $fn$;
      REVOKE ALL ON FUNCTION log_purge_before(text, timestamptz, int) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION log_purge_before(text, timestamptz, int) TO levensloop_runtime;
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP FUNCTION log_purge_before(text, timestamptz, int);
      ALTER FUNCTION log_purge_prefix(text, timestamptz, int) RENAME TO log_purge_before;
      GRANT EXECUTE ON FUNCTION log_purge_before(text, timestamptz, int) TO levensloop_runtime;
      DROP TABLE log_retention_floors;
    `);
  }
}
