import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data lifecycle: what the retention schedule (run by the worker) needs.
 *
 * The two hash-chained logs lose entries past their term as a whole prefix, never one row here and
 * there: `log_purge_before(log, cutoff, max_rows)` (SECURITY DEFINER, owned by the migrations'
 * owner; the runtime role may only EXECUTE it, it still has no DELETE on a log) removes the oldest
 * rows written before the cutoff, at most `max_rows`, and first records an anchor in
 * `log_chain_anchors`: the last removed row's id, time and hash, taken from the row by the
 * database. The chain of what remains starts at that hash, so `verify-logs` checks the first
 * remaining row against the anchor just below it instead of an empty link; an append to a log
 * emptied this way links to the latest anchor. Anchors are insert-only (the same trigger as the
 * logs) and take their time and hash from the log's row, so none names a link that is not there.
 *
 * The logs' DELETE refusal becomes a row trigger that lets a row go only when an anchor covers
 * it (its id at most the latest anchor's), for everyone, the owner included; UPDATE and TRUNCATE
 * stay refused. Rows removed outside the function break the chain as before.
 *
 * The retention job's other deletions (finished journeys' read model, messages, letters, source
 * events) need nothing new: the runtime role has DELETE on those tables by the default privileges.
 * Indexes find finished journeys by the instant they ended, and messages, letters and settled
 * source events by age.
 */
export class Retention1765600000000 implements MigrationInterface {
  name = 'Retention1765600000000';

  public async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE log_chain_anchors (
        id bigserial PRIMARY KEY,
        log varchar(32) NOT NULL,
        up_to_id bigint NOT NULL,
        up_to_at timestamptz NOT NULL,
        hash char(64) NOT NULL,
        removed int NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (log, up_to_id)
      );
      CREATE TRIGGER log_chain_anchors_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON log_chain_anchors FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
      -- An anchor names a row that exists, with its time and hash as the log holds them: whoever
      -- inserts it (the runtime role keeps its default rights here) cannot make up a link.
      CREATE FUNCTION log_chain_anchor_check() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.log NOT IN ('audit_log', 'data_access_log') THEN
          RAISE EXCEPTION '% is not a chained log', NEW.log;
        END IF;
        EXECUTE format('SELECT at, hash FROM %I WHERE id = $1', NEW.log) INTO NEW.up_to_at, NEW.hash USING NEW.up_to_id;
        IF NEW.hash IS NULL THEN
          RAISE EXCEPTION 'an anchor names a row of %: row % is not there', NEW.log, NEW.up_to_id;
        END IF;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER log_chain_anchors_check BEFORE INSERT ON log_chain_anchors FOR EACH ROW EXECUTE FUNCTION log_chain_anchor_check();

      CREATE OR REPLACE FUNCTION log_chain_append() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $fn$
      DECLARE
        prev text;
      BEGIN
        -- Under a snapshot older than the lock the last entry could be missed and the chain fork.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION '% is appended to under READ COMMITTED only', TG_TABLE_NAME;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('levensloop.log_chain'), hashtext(TG_TABLE_NAME));
        EXECUTE format('SELECT hash FROM %I.%I ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO prev;
        -- A log emptied by retention goes on from the hash its anchor recorded.
        IF prev IS NULL THEN
          SELECT a.hash INTO prev FROM log_chain_anchors a WHERE a.log = TG_TABLE_NAME ORDER BY a.up_to_id DESC LIMIT 1;
        END IF;
        -- Numbered under the lock: the id order is the chain order.
        NEW.id := nextval(pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
        NEW.prev_hash := prev;
        NEW.hash := log_chain_hash(TG_TABLE_NAME, to_jsonb(NEW) - 'hash');
        RETURN NEW;
      END
      $fn$;

      CREATE FUNCTION log_refuse_unanchored_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF OLD.id <= (SELECT max(a.up_to_id) FROM log_chain_anchors a WHERE a.log = TG_TABLE_NAME) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only: DELETE is refused (row %: only a prefix recorded in log_chain_anchors goes, through log_purge_before)', TG_TABLE_NAME, OLD.id USING ERRCODE = 'insufficient_privilege';
      END
      $fn$;

      DROP TRIGGER audit_log_append_only ON audit_log;
      DROP TRIGGER data_access_log_append_only ON data_access_log;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
      CREATE TRIGGER data_access_log_append_only BEFORE UPDATE OR TRUNCATE ON data_access_log FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
      CREATE TRIGGER audit_log_delete_anchored BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION log_refuse_unanchored_delete();
      CREATE TRIGGER data_access_log_delete_anchored BEFORE DELETE ON data_access_log FOR EACH ROW EXECUTE FUNCTION log_refuse_unanchored_delete();

      CREATE FUNCTION log_purge_before(p_log text, p_cutoff timestamptz, p_max int)
        RETURNS TABLE (removed_rows int, anchor_id bigint, anchor_hash text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET timezone = 'UTC' AS $fn$
      DECLARE
        last_id bigint;
        last_at timestamptz;
        last_hash text;
        n int;
      BEGIN
        IF p_log NOT IN ('audit_log', 'data_access_log') THEN
          RAISE EXCEPTION 'log_purge_before: % is not a chained log', p_log;
        END IF;
        -- No append in between: the anchor and the first remaining row stay one link.
        PERFORM pg_advisory_xact_lock(hashtext('levensloop.log_chain'), hashtext(p_log));
        -- The longest prefix (in chain order, at most p_max rows) written before the cutoff.
        EXECUTE format(
          'SELECT l.id, l.at, l.hash, (SELECT count(*) FROM %I c WHERE c.id <= l.id)::int FROM %I l WHERE l.id = (
             SELECT max(p.id) FROM (SELECT s.id, bool_and(s.at < $1) OVER (ORDER BY s.id) AS old
                                      FROM (SELECT id, at FROM %I ORDER BY id LIMIT $2) s) p WHERE p.old)', p_log, p_log, p_log)
          INTO last_id, last_at, last_hash, n USING p_cutoff, p_max;
        IF last_id IS NULL THEN
          RETURN QUERY SELECT 0, NULL::bigint, NULL::text;
          RETURN;
        END IF;
        INSERT INTO log_chain_anchors (log, up_to_id, up_to_at, hash, removed) VALUES (p_log, last_id, last_at, last_hash, n);
        EXECUTE format('DELETE FROM %I WHERE id <= $1', p_log) USING last_id;
        RETURN QUERY SELECT n, last_id, last_hash;
      END
      $fn$;
      REVOKE ALL ON FUNCTION log_purge_before(text, timestamptz, int) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION log_purge_before(text, timestamptz, int) TO levensloop_runtime;

      CREATE INDEX journeys_finished_idx ON journeys ((COALESCE(completed_at, updated_at))) WHERE status IN ('completed', 'cancelled');
      CREATE INDEX notifications_created_idx ON notifications (created_at);
      CREATE INDEX letters_created_idx ON letters (created_at);
      CREATE INDEX source_events_received_idx ON source_events (received_at) WHERE status <> 'received';
    `);
  }

  public async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX source_events_received_idx; DROP INDEX letters_created_idx; DROP INDEX notifications_created_idx; DROP INDEX journeys_finished_idx;
      DROP FUNCTION log_purge_before(text, timestamptz, int);
      DROP TRIGGER data_access_log_delete_anchored ON data_access_log;
      DROP TRIGGER audit_log_delete_anchored ON audit_log;
      DROP TRIGGER data_access_log_append_only ON data_access_log;
      DROP TRIGGER audit_log_append_only ON audit_log;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
      CREATE TRIGGER data_access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON data_access_log FOR EACH STATEMENT EXECUTE FUNCTION log_refuse_change();
      DROP FUNCTION log_refuse_unanchored_delete();
      -- Back to the append without anchors: a log emptied by retention then starts a new chain.
      CREATE OR REPLACE FUNCTION log_chain_append() RETURNS trigger LANGUAGE plpgsql SET timezone = 'UTC' AS $fn$
      DECLARE
        prev text;
      BEGIN
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION '% is appended to under READ COMMITTED only', TG_TABLE_NAME;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('levensloop.log_chain'), hashtext(TG_TABLE_NAME));
        EXECUTE format('SELECT hash FROM %I.%I ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO prev;
        NEW.id := nextval(pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
        NEW.prev_hash := prev;
        NEW.hash := log_chain_hash(TG_TABLE_NAME, to_jsonb(NEW) - 'hash');
        RETURN NEW;
      END
      $fn$;
      DROP TABLE log_chain_anchors;
      DROP FUNCTION log_chain_anchor_check();
    `);
  }
}
