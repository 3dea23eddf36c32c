import { AUDIT_INSERT } from './audit-log.repository';

/**
 * The journey projection as ONE statement (one round trip, atomic): the journey row (created from
 * the header the first projection carries, else updated), the changed steps, the new timeline
 * events, and the tasks of human steps (opened when a step waits, claimed and released as the
 * workflow says, closed when it moves on: the only writer of tasks), and a referred decision's
 * answer on the decision, with its audit row, and the audit row of a cancellation made in Temporal.
 * Idempotent, and safe in any order: the journey row and each step row take a projection only if
 * it is newer than the one they hold, events are keyed by their sequence number. Projections may
 * arrive out of order because some ride along with agency calls (see the journey workflow).
 *
 * $1 journey id, $2 status, $3 needs attention, $4 next due, $5 completed at, $6 cancel reason,
 * $7 projection seq, $8 steps (jsonb), $9 events (jsonb), $10 header (jsonb or null),
 * $11 subject type, $12 subject id, $13 the projecting activity's W3C traceparent (or null), kept
 * with the messages it files so the dispatcher's send continues the trace, $14 the journey's
 * agencies as they stand (text[], a journey with steps named by role) or null.
 */
export const PROJECT_JOURNEY_SQL = `
WITH header AS (
  SELECT * FROM jsonb_to_record($10::jsonb) AS h(
    "idempotencyKey" text, "lifeEventKey" text, "lifeEventVersion" int, title jsonb, agencies jsonb,
    "startedAt" timestamptz, "startedBy" text, data jsonb, "sourceEvent" jsonb)
),
inserted AS (
  INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id,
                        status, agencies, started_at, started_by, data, source_event, needs_attention, next_due_at,
                        completed_at, cancel_reason, projection_seq, updated_at)
  SELECT $1::uuid, h."idempotencyKey", h."lifeEventKey", h."lifeEventVersion", h.title, $11, $12,
         $2, coalesce($14::text[], ARRAY(SELECT DISTINCT a COLLATE "C" FROM unnest(ARRAY(SELECT jsonb_array_elements_text(h.agencies)) || ARRAY(SELECT x->>'agency' FROM jsonb_array_elements($8::jsonb) x)) a WHERE a IS NOT NULL ORDER BY 1)), h."startedAt", h."startedBy", h.data, h."sourceEvent",
         $3, $4, $5, $6, $7, now()
    FROM header h
   WHERE $10::jsonb IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING id
),
updated AS (
  UPDATE journeys
     SET status = $2, needs_attention = $3, next_due_at = $4, completed_at = $5, cancel_reason = $6,
         projection_seq = $7, updated_at = now(),
         -- A journey with steps named by role carries its agencies as they stand ($14: the placeholder
         -- agency drops out once they are routed); else each step's agency adds to them.
         agencies = coalesce($14::text[], ARRAY(SELECT DISTINCT a COLLATE "C" FROM unnest(agencies || ARRAY(SELECT x->>'agency' FROM jsonb_array_elements($8::jsonb) x)) a WHERE a IS NOT NULL ORDER BY 1))
   WHERE id = $1::uuid AND projection_seq < $7
  RETURNING id
),
journey AS (
  SELECT id FROM inserted UNION ALL SELECT id FROM updated
),
known AS (
  -- The row inserted above is not visible to reads of this statement: it counts from inserted.
  SELECT id FROM inserted UNION ALL SELECT id FROM journeys WHERE id = $1::uuid
),
step_input AS (
  SELECT * FROM jsonb_to_recordset($8::jsonb) AS s(
    key text, agency text, kind text, status text, title jsonb, "startedAt" timestamptz, "dueAt" timestamptz,
    "completedAt" timestamptz, attempts int, outcome jsonb, error text, warned boolean, escalated boolean,
    task jsonb, closed jsonb, clock jsonb, information jsonb)
),
steps AS (
  INSERT INTO journey_steps (journey_id, node_key, agency, kind, status, title, started_at, due_at, completed_at,
                             attempts, outcome, error, warned, escalated, projection_seq, legal_clock, information)
  SELECT k.id, s.key, s.agency, s.kind, s.status, s.title, s."startedAt", s."dueAt", s."completedAt",
         s.attempts, s.outcome, s.error, coalesce(s.warned, false), coalesce(s.escalated, false), $7, s.clock, s.information
    FROM step_input s CROSS JOIN known k
  ON CONFLICT (journey_id, node_key) DO UPDATE SET
    status = EXCLUDED.status, started_at = EXCLUDED.started_at, due_at = EXCLUDED.due_at,
    completed_at = EXCLUDED.completed_at, attempts = EXCLUDED.attempts, outcome = EXCLUDED.outcome,
    error = EXCLUDED.error, warned = EXCLUDED.warned, escalated = EXCLUDED.escalated,
    projection_seq = EXCLUDED.projection_seq, legal_clock = EXCLUDED.legal_clock, information = EXCLUDED.information,
    agency = EXCLUDED.agency
  WHERE journey_steps.projection_seq < EXCLUDED.projection_seq
  RETURNING node_key
),
applied_steps AS (
  SELECT s.* FROM step_input s JOIN steps a ON a.node_key = s.key
),
events AS (
  INSERT INTO journey_events (journey_id, seq, at, type, node_key, detail)
  SELECT k.id, e.seq, e.at, e.type, e.step, e.detail
    FROM jsonb_to_recordset($9::jsonb) AS e(seq int, at timestamptz, type text, step text, detail jsonb) CROSS JOIN known k
  ON CONFLICT (journey_id, seq) DO NOTHING
  RETURNING journey_id, seq, type, node_key, detail
),
event_input AS (
  SELECT * FROM jsonb_to_recordset($9::jsonb) AS e(seq int, category text, "dedupKey" text, "actionNeeded" boolean, audit jsonb)
),
-- An event no request audited (auditOfTimelineEvent: a cancellation in Temporal itself), once: only
-- events inserted by this statement.
event_audited AS (
  ${AUDIT_INSERT}
  SELECT i.audit->>'actor', i.audit->>'action', 'journey', e.journey_id::text, i.audit->'detail'
    FROM events e JOIN event_input i ON i.seq = e.seq
   WHERE i.audit IS NOT NULL
),
-- What the citizen is told, in the same statement as the change that causes it: one row per new
-- timeline event that matters to them (its category, key and whether it asks to act, decided in
-- TypeScript: categoryOfTimelineEvent, dedupKeyOfTimelineEvent; an event is inserted once, and a
-- reminder or delay notice is keyed per task or step, so it is told once), with the
-- agency of the step that caused it (its templates apply): from this projection's steps, else
-- the step row already there; none for an event about the journey as a whole.
notified AS (
  INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, node_key, event_seq, data, action_needed, agency, trace_context)
  SELECT gen_random_uuid(), n."dedupKey", n.journey_id, n.journey_id::text, n.category, n.node_key, n.seq, n.detail,
         n."actionNeeded",
         CASE WHEN n.node_key IS NOT NULL THEN coalesce(
           (SELECT si.agency FROM step_input si WHERE si.key = n.node_key LIMIT 1),
           (SELECT js.agency FROM journey_steps js WHERE js.journey_id = n.journey_id AND js.node_key = n.node_key)) END,
         $13::varchar
    FROM (SELECT e.*, i.category, i."dedupKey", i."actionNeeded" FROM events e JOIN event_input i ON i.seq = e.seq) n
   WHERE n.category IS NOT NULL
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING id
),
-- What the agency's supervisors are told (supervisorNoticeOf): an escalated step, once per step,
-- for the agency of that step.
supervisors_told AS (
  INSERT INTO supervisor_notices (dedup_key, journey_id, node_key, agency, kind, task_id, detail)
  SELECT r."supervisorNotice"->>'dedupKey', k.id, r.step,
         coalesce((SELECT si.agency FROM step_input si WHERE si.key = r.step LIMIT 1),
                  (SELECT js.agency FROM journey_steps js WHERE js.journey_id = k.id AND js.node_key = r.step)),
         r."supervisorNotice"->>'kind', r."supervisorNotice"->>'taskId', r.detail
    FROM jsonb_to_recordset($9::jsonb) AS r(step text, detail jsonb, "supervisorNotice" jsonb) CROSS JOIN known k
   WHERE r."supervisorNotice" IS NOT NULL AND r.step IS NOT NULL
  ON CONFLICT (dedup_key) DO NOTHING
),
-- The dossier's status on the e-counter follows every applied change; the projection sequence
-- orders them, so a late delivery never overwrites a newer status.
status_changed AS (
  INSERT INTO dossier_status_outbox (journey_id, seq)
  SELECT k.id, $7 FROM known k
   WHERE EXISTS (SELECT 1 FROM journey) OR EXISTS (SELECT 1 FROM steps)
  ON CONFLICT (journey_id, seq) DO NOTHING
  RETURNING journey_id
),
-- A caseworker's answer to a referred decision is the decision (referralDecisionOf): recorded once,
-- on the decision the rule referred, with its audit row.
referral_decided AS (
  UPDATE decisions d
     SET override_outcome = r.referral->>'outcome', override_reason = r.referral->>'reason',
         overridden_by = r.referral->>'by', overridden_at = r.at
    FROM jsonb_to_recordset($9::jsonb) AS r(at timestamptz, step text, referral jsonb) CROSS JOIN known k
   WHERE r.referral IS NOT NULL AND d.journey_id = k.id AND d.node_key = r.step AND d.outcome = 'refer' AND d.override_outcome IS NULL
  RETURNING d.journey_id, d.node_key, d.override_outcome, d.override_reason, d.overridden_by
),
referral_audited AS (
  ${AUDIT_INSERT}
  SELECT overridden_by, 'decision.referral_decided', 'decision', journey_id::text || '/' || node_key,
         jsonb_build_object('outcome', override_outcome, 'reason', override_reason)
    FROM referral_decided
),
opened AS (
  -- A waiting step has one open task (openTaskOf): its own work, or first a consent or missing data
  -- from the citizen; claimed when the workflow already holds a claim of it. A request for
  -- information has its own due date, and keeps its question with the task.
  INSERT INTO tasks (id, journey_id, node_key, agency, assignee, subject_type, subject_id, status, claimed_by, title, due_at, created_at, purpose, fields, data, team)
  SELECT s.task->>'id', k.id, s.key, coalesce(s.task->>'agency', s.agency), s.task->>'assignee',
         $11, $12, CASE WHEN s.task->>'claimedBy' IS NULL THEN 'open' ELSE 'claimed' END, s.task->>'claimedBy',
         -- A compensation task (undoing a completed step) opens now, without the step's due date; a
         -- request for information opens now, with its own.
         s.title, CASE WHEN s.task->>'purpose' = 'compensation' THEN NULL ELSE coalesce((s.task->>'dueAt')::timestamptz, s."dueAt") END,
         CASE WHEN s.task->>'purpose' IN ('information', 'compensation') THEN now() ELSE coalesce(s."startedAt", now()) END,
         s.task->>'purpose', nullif(s.task->'fields', 'null'::jsonb), s.task->'data', s.task->>'team'
    FROM applied_steps s CROSS JOIN known k
   WHERE s.task IS NOT NULL AND s.task <> 'null'::jsonb
  ON CONFLICT (journey_id, node_key, purpose) DO NOTHING
),
reopened AS (
  -- A task closed before opens again when its step waits for it again (the step runs again after a
  -- changed decision it depends on): the step's state is newer than the row (applied_steps), so it
  -- is not a late copy. Only closed rows: the claims and closes below touch open ones.
  UPDATE tasks t
     SET status = CASE WHEN s.task->>'claimedBy' IS NULL THEN 'open' ELSE 'claimed' END, claimed_by = s.task->>'claimedBy',
         due_at = s."dueAt", created_at = coalesce(s."startedAt", now()), agency = coalesce(s.task->>'agency', s.agency),
         -- What the task keeps while open is openTaskOf's to say, as on insert (e.g. the next appointment of an appointment's record).
         completed_at = NULL, completed_by = NULL, outcome = NULL, data = s.task->'data', comment = NULL
    FROM applied_steps s CROSS JOIN known k
   WHERE t.journey_id = k.id AND t.node_key = s.key AND t.status IN ('completed', 'cancelled')
     AND s.status = 'waiting' AND t.purpose = s.task->>'purpose'
),
claims AS (
  -- The claim of the open task as the workflow holds it (claimed, or released: null); a task whose
  -- step never carried a claim keeps its claim as it is. The step's own task follows its due date
  -- (the legal clock moves it: a suspension that ended, an extension).
  UPDATE tasks t
     SET status = CASE WHEN NOT s.task ? 'claimedBy' THEN t.status WHEN s.task->>'claimedBy' IS NULL THEN 'open' ELSE 'claimed' END,
         claimed_by = CASE WHEN s.task ? 'claimedBy' THEN s.task->>'claimedBy' ELSE t.claimed_by END,
         -- The team queue follows the step's (a reassignment to a team moves it); a step without one keeps the row's.
         team = CASE WHEN s.task ? 'team' THEN s.task->>'team' ELSE t.team END,
         due_at = CASE WHEN t.purpose = 'task' AND s."dueAt" IS NOT NULL THEN s."dueAt" ELSE t.due_at END,
         -- The caseworker's own task flags a request for information that lapsed unanswered (informationLapsedFlag).
         data = CASE WHEN t.purpose = 'task' AND s.task ? 'data' THEN s.task->'data' ELSE t.data END
    FROM applied_steps s CROSS JOIN known k
   WHERE t.journey_id = k.id AND t.node_key = s.key AND t.status IN ('open', 'claimed')
     AND (s.status = 'waiting' OR t.purpose = 'compensation') AND t.purpose = s.task->>'purpose'
     AND (s.task ? 'claimedBy' OR (t.purpose = 'task' AND s."dueAt" IS NOT NULL AND t.due_at IS DISTINCT FROM s."dueAt")
          OR (t.purpose = 'task' AND s.task ? 'data' AND t.data IS DISTINCT FROM s.task->'data'))
),
closed AS (
  -- Tasks the step no longer waits for, closed as closedTaskOf says: the verdict belongs to the
  -- step's own task; who answered, with what, to each task that was answered.
  UPDATE tasks t
     -- A request for information that lapsed unanswered (information-due) did not complete: it is cancelled.
     SET status = CASE WHEN t.purpose = 'information' AND s.information ? 'lapsedAt' THEN 'cancelled' ELSE s.closed->>'status' END,
         completed_at = coalesce(s."completedAt", now()),
         completed_by = s.closed->'answers'->t.purpose->>'by',
         outcome = CASE WHEN t.purpose = 'task' THEN s.closed->>'outcome' END,
         data = s.closed->'answers'->t.purpose->'data',
         comment = s.closed->'answers'->t.purpose->>'comment'
    FROM applied_steps s CROSS JOIN known k
   WHERE t.journey_id = k.id AND t.node_key = s.key AND t.status IN ('open', 'claimed')
     AND NOT (s.status = 'waiting' AND t.purpose = s.task->>'purpose')
     -- A caseworker's task stays open while the citizen answers their request for information.
     AND NOT (s.status = 'waiting' AND s.task->>'purpose' = 'information' AND t.purpose = 'task')
     -- A completed step's compensation task stays open while the step waits for it to be undone.
     AND NOT (t.purpose = 'compensation' AND coalesce(s.task->>'purpose', '') = 'compensation')
     AND NOT (s.status = 'needs_attention')
)
SELECT (SELECT count(*) FROM journey)::int AS applied, (SELECT count(*) FROM known)::int AS known,
       -- Wakes the dispatcher at once (it also polls, so a lost notice only costs latency).
       CASE WHEN EXISTS (SELECT 1 FROM notified) OR EXISTS (SELECT 1 FROM status_changed)
            THEN pg_notify('levensloop_outbox', (SELECT id::text FROM known)) END AS woke`;
