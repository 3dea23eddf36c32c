import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import { evaluateDecision, fieldId, readPath, type DataRequirement, type Subject } from '@levensloop/domain';
import type { DecideInput, DecideResult, PrepareStepDataInput, PrepareStepDataResult } from '@levensloop/contracts/workflow';
import { Consents, DataAccessLog, Decisions, StepData, type DataAccessEntry } from '@levensloop/persistence';

/** What the activities need from the authentic-source connectors (libs/sources implements it). */
export interface SourceReader {
  read(
    source: string,
    subject: Subject,
    fields: string[],
    context: { purpose: string; legalBasis: string; requester: string; journeyId?: string },
  ): Promise<{ found: boolean; values: Record<string, unknown>; missing: string[] }>;
  /** Forgets cached records of a subject (a source said the record changed). */
  invalidate(subject: Subject): void;
}

export interface OnceOnlyDeps {
  dataSource: DataSource;
  /** Without sources, steps that declare data requirements cannot run (they need attention). */
  sources?: SourceReader;
}

type Db = DataSource | EntityManager;

/** Requirements that share a source, a purpose and a legal basis: one access-log entry. */
function accessGroups(requirements: DataRequirement[]) {
  const groups = new Map<string, DataRequirement[]>();
  for (const r of requirements) {
    const key = JSON.stringify([r.source, r.purpose, r.legalBasis]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

/** What came of a register read logged as `requested`. */
export type ReadOutcome = 'granted' | 'refused-by-source' | 'failed';

/** A source that refused the request (4xx) refused it; anything else (down, a bad request of ours) failed. */
export function readFailureOutcome(err: Error): ReadOutcome {
  return err.name === 'SourceRequestError' ? 'refused-by-source' : 'failed';
}

/**
 * Writes the outcome of the logged requests as rows of their own (the log is insert-only), a
 * copy of each request with its outcome and a pointer to it. Keyed per activity attempt: a retry
 * that reads again adds its own outcome, a repeated write of the same one is a no-op.
 */
export async function logReadOutcomes(db: Db, requestIds: string[], outcome: ReadOutcome, reason?: string) {
  await new DataAccessLog(db).appendOutcomes(requestIds, outcome, String(activityAttempt()), reason);
}

/** The attempt of the running activity (1 outside an activity, e.g. when called directly). */
function activityAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** Sets `a.b.c` in a nested record. */
function writePath(target: Record<string, unknown>, path: string, value: unknown) {
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[segment] = {})) as Record<string, unknown>;
  }
  node[segments[segments.length - 1]] = value;
}

/** The step's prepared fields, nested per source: `{ 'national-register': { address: { postalCode } } }`. */
export async function loadStepFields(db: Db, journeyId: string, nodeKey: string) {
  const rows = await new StepData(db).ofStep(journeyId, nodeKey);
  const fields: Record<string, Record<string, unknown>> = {};
  for (const row of rows) writePath((fields[row.source] ??= {}), row.field, row.value);
  return { fields, rows };
}

export function createOnceOnlyActivities(deps: OnceOnlyDeps) {
  const db = deps.dataSource;
  const consents = new Consents(db);
  const stepData = new StepData(db);
  const accessLog = new DataAccessLog(db);
  const decisions = new Decisions(db);
  const sources = (): SourceReader => {
    if (!deps.sources) throw ApplicationFailure.nonRetryable('No authentic sources are configured for this worker (set SOURCES_URL).', 'SourcesNotConfigured');
    return deps.sources;
  };
  return {
    /**
     * Records the citizen's answers, then fetches what the step may read. Every read is logged
     * BEFORE it is made (an idempotent `requested` entry per fetch round), so no read goes
     * unlogged even if this activity crashes half-way, and its outcome (granted, refused by the
     * source, failed) after it; values go to the database, never back into the workflow.
     */
    async prepareStepData(input: PrepareStepDataInput): Promise<PrepareStepDataResult> {
      const { journeyId, nodeKey, agency, stepKey, subject, requirements } = input;
      const byId = new Map(requirements.map((r) => [fieldId(r), r]));

      if (input.consents) {
        for (const [id, given] of Object.entries(input.consents)) {
          const r = byId.get(id);
          if (!r || r.legalBasis.type !== 'consent') continue;
          await consents.record({
            subject,
            agency,
            stepKey,
            source: r.source,
            field: r.field,
            given,
            journeyId,
            nodeKey,
            givenBy: input.answeredBy ?? subject.id,
          });
        }
      }
      if (input.provided) {
        for (const [id, value] of Object.entries(input.provided)) {
          const r = byId.get(id);
          if (!r) continue;
          await stepData.put(journeyId, nodeKey, r, 'citizen', value);
        }
      }

      const consentRows = await consents.ofStep(subject.id, agency, stepKey);
      const consent = new Map(consentRows.map((c) => [`${c.source}/${c.field}`, c.status]));
      const consentNeeded = requirements.filter((r) => r.legalBasis.type === 'consent' && !consent.has(fieldId(r))).map(fieldId);
      if (consentNeeded.length) return { consentNeeded, prefilled: [], missing: [] };

      const allowed = requirements.filter((r) => r.legalBasis.type !== 'consent' || consent.get(fieldId(r)) === 'granted');
      const have = await stepData.ofStep(journeyId, nodeKey);
      const answered = new Set(have.filter((r) => r.origin === 'citizen').map(fieldId));
      const fetched = new Set(have.filter((r) => r.origin === 'source').map(fieldId));
      if (input.refresh) sources().invalidate(subject);

      // What an earlier call of this round fetched is not read again (each read is one log entry).
      const prefilled: string[] = input.refresh ? [] : allowed.map(fieldId).filter((id) => fetched.has(id));
      const notHeld = new Set<string>();
      const bySource = new Map<string, DataRequirement[]>();
      for (const r of allowed) {
        if (!input.refresh && (fetched.has(fieldId(r)) || answered.has(fieldId(r)))) continue;
        bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
      }
      for (const [source, reqs] of bySource) {
        // Logged first: the request is on record even if the read then fails or we crash; its
        // outcome follows as a row of its own once the source answered (the log is insert-only).
        const entries = accessGroups(reqs).map(
          (group, i): DataAccessEntry => ({
            accessKey: `${journeyId}/${nodeKey}/${input.round}/${createHash('sha256').update(JSON.stringify([source, i, group.map((r) => r.field)])).digest('hex').slice(0, 24)}`,
            subjectType: subject.type,
            subjectId: subject.id,
            journeyId,
            nodeKey,
            agency,
            stepKey,
            actor: `${agency}/${stepKey}`,
            actorKind: 'step',
            source,
            fields: group.map((r) => r.field),
            purpose: group[0].purpose,
            legalBasis: group[0].legalBasis,
            outcome: 'requested',
          }),
        );
        // One statement for every group of this source; a key logged by an earlier attempt answers its row.
        const requests = (await accessLog.append(entries)).map((id) => id!);
        const logOutcome = (outcome: ReadOutcome, reason?: string) => logReadOutcomes(db, requests, outcome, reason);
        const result = await sources()
          .read(
            source,
            subject,
            reqs.map((r) => r.field),
            {
              purpose: reqs[0].purpose.nl,
              legalBasis: [...new Set(reqs.map((r) => `${r.legalBasis.type}: ${r.legalBasis.reference}`))].join('; '),
              requester: `${agency}/${stepKey}`,
              journeyId,
            },
          )
          .catch(async (err: Error) => {
            await logOutcome(readFailureOutcome(err), err.message);
            // A refused request or an unknown field will not change by retrying: the step needs attention at once.
            if (err.name === 'SourceFieldError' || err.name === 'SourceRequestError') throw ApplicationFailure.nonRetryable(err.message, err.name);
            throw err;
          });
        await logOutcome('granted');
        const missing = new Set(result.missing);
        for (const r of reqs) {
          const value = readPath(result.values, r.field);
          if (missing.has(r.field) || value === undefined || value === null) {
            notHeld.add(fieldId(r));
            continue;
          }
          await stepData.put(journeyId, nodeKey, r, 'source', value);
          prefilled.push(fieldId(r));
        }
      }
      const refused = requirements.filter((r) => !allowed.includes(r)).map(fieldId);
      const missing = [...refused, ...notHeld].filter((id) => !answered.has(id));
      return { consentNeeded: [], prefilled, missing };
    },

    /** Evaluates the rule over the step's fields and records the decision once (a retry returns the record). */
    async decide(input: DecideInput): Promise<DecideResult> {
      const { journeyId, nodeKey } = input;
      const { fields, rows } = await loadStepFields(db, journeyId, nodeKey);
      const result = evaluateDecision(input.rule, { data: input.data, subject: input.subject, fields });
      const inputs = {
        fields: rows.map((r) => ({ source: r.source, field: r.field, value: r.value, origin: r.origin })),
        data: input.data,
        ...(result.error ? { error: result.error } : {}),
      };
      const stored = await decisions.record({
        journeyId,
        nodeKey,
        subject: input.subject,
        agency: input.agency,
        stepKey: input.stepKey,
        stepVersion: input.stepVersion,
        rule: { id: input.rule.id, version: input.rule.version },
        inputs,
        outcome: result.outcome,
        branch: result.branch,
        explanation: result.explanation,
      });
      return { outcome: stored.outcome, branch: stored.branch, explanation: stored.explanation };
    },
  };
}
