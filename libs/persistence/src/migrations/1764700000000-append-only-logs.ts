import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log and the data-access log become append-only and tamper-evident:
 *
 * - a NOLOGIN group role `levensloop_runtime` (cluster-wide, created once) for the processes:
 *   SELECT, INSERT, UPDATE, DELETE on every table, but on the two logs only SELECT and INSERT
 *   (no UPDATE, DELETE, TRUNCATE), and only SELECT on the migrations table. Tables later
 *   migrations create get the same rights through default privileges of the role that runs the
 *   migrations (a migration that creates another log revokes what it must);
 * - a trigger refusing UPDATE, DELETE and TRUNCATE on both logs for everyone, the owner included;
 * - every row carries `hash` = sha256 over its content and `prev_hash` (the hash of the row
 *   before it in the same log). A BEFORE INSERT trigger serialises appends per log with an
 *   advisory transaction lock, reads the last hash and numbers the row under that lock, so the
 *   chain order is the id order even with many writers. Rows written before this migration are
 *   chained here, in id order.
 *
 * The content hashed: the log's name, then every non-null column but `hash`, by name in byte
 * order, each name and value as `<UTF-8 byte length>:<text>`; values as `to_jsonb` prints them
 * with the time zone UTC. `verifyLogChains` (libs/persistence/src/repositories/log-chain.ts) recomputes it.
 * Null columns are left out, so a later nullable column keeps older rows' hashes valid.
 */
export class AppendOnlyLogs1764700000000 implements MigrationInterface {
  name = 'AppendOnlyLogs1764700000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'levensloop_runtime') THEN
          CREATE ROLE levensloop_runtime NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by a migration of another database
      END $$;

      GRANT USAGE ON SCHEMA public TO levensloop_runtime;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO levensloop_runtime;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO levensloop_runtime;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO levensloop_runtime;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO levensloop_runtime;
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, data_access_log FROM levensloop_runtime;
      REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM levensloop_runtime;

      -- A register read logged before the call gets its outcome as a second row pointing at it.
      ALTER TABLE data_access_log ADD COLUMN request_id bigint, ALTER COLUMN outcome TYPE varchar(20);
      CREATE INDEX data_access_log_request_idx ON data_access_log (request_id) WHERE request_id IS NOT NULL;

      ALTER TABLE audit_log ADD COLUMN prev_hash char(64), ADD COLUMN hash char(64);
      ALTER TABLE data_access_log ADD COLUMN prev_hash char(64), ADD COLUMN hash char(64);

      CREATE FUNCTION log_chain_hash(log text, entry jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
        SELECT encode(sha256(convert_to(
                 octet_length(log) || ':' || log ||
                 string_agg(octet_length(key) || ':' || key || octet_length(value) || ':' || value, '' ORDER BY key COLLATE "C"),
                 'UTF8')), 'hex')
          FROM jsonb_each_text(entry)
         WHERE value IS NOT NULL
      $fn$;

      CREATE FUNCTION log_chain_append() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $fn$
      DECLARE
        prev text;
      BEGIN
        -- Under a snapshot older than the lock the last entry could be missed and the chain fork.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION '% is appended to under READ COMMITTED only', TG_TABLE_NAME;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('levensloop.log_chain'), hashtext(TG_TABLE_NAME));
        EXECUTE format('SELECT hash FROM %I.%I ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO prev;
        -- Numbered under the lock: the id order is the chain order.
        NEW.id := nextval(pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
        NEW.prev_hash := prev;
        NEW.hash := log_chain_hash(TG_TABLE_NAME, to_jsonb(NEW) - 'hash');
        RETURN NEW;
      END
      $fn$;

      CREATE FUNCTION log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $fn$;

      SET LOCAL timezone = 'UTC';
      DO $$
      DECLARE
        log text;
        r record;
        prev text;
        h text;
      BEGIN
        FOREACH log IN ARRAY ARRAY['audit_log', 'data_access_log'] LOOP
          prev := NULL;
          FOR r IN EXECUTE format('SELECT id, to_jsonb(l) - ''hash'' - ''prev_hash'' AS entry FROM %I l ORDER BY id', log) LOOP
            h := log_chain_hash(log, r.entry || jsonb_build_object('prev_hash', prev));
            EXECUTE format('UPDATE %I SET prev_hash = $1, hash = $2 WHERE id = $3', log) USING prev, h, r.id;
            prev := h;
          END LOOP;
        END LOOP;
      END $$;

      ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL;
      ALTER TABLE data_access_log ALTER COLUMN hash SET NOT NULL;
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION log_chain_append();
      CREATE TRIGGER data_access_log_chain BEFORE INSERT ON data_access_log FOR EACH ROW EXECUTE FUNCTION log_chain_append();
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
      CREATE TRIGGER data_access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON data_access_log FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER data_access_log_append_only ON data_access_log;
      DROP TRIGGER audit_log_append_only ON audit_log;
      DROP TRIGGER data_access_log_chain ON data_access_log;
      DROP TRIGGER audit_log_chain ON audit_log;
      DROP FUNCTION log_refuse_change();
      DROP FUNCTION log_chain_append();
      DROP FUNCTION log_chain_hash(text, jsonb);
      -- outcome stays varchar(20): 'refused-by-source' (17 characters) does not fit the former 16,
      -- and a logged outcome is evidence that must not be cut or rewritten on the way down.
      ALTER TABLE data_access_log DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN request_id;
      ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM levensloop_runtime;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM levensloop_runtime;
      REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM levensloop_runtime;
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM levensloop_runtime;
      REVOKE USAGE ON SCHEMA public FROM levensloop_runtime;
    `);
  }
}
