import type { Logger } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Language, Translations } from '@levensloop/domain';
import type { AuditLog, FiledRow } from '@levensloop/persistence';
import { forbidden, invalid, ProblemException } from '../common/problem';
import { tr } from '../data-access/reading';
import { workflowIdOf } from '../journeys/journeys.service';
import { sendUpdate, updateProblem } from '../journeys/workflow-errors';
import type { TemporalService } from '../temporal/temporal.provider';

/** Where on a journey a stage acts: its decision step, and who acts. */
export interface StageTarget {
  actor: string;
  journeyId: string;
  nodeKey: string;
}

/** Telling the journey what was recorded, and what to do when it refuses. */
export interface StageUpdate<I = unknown> extends StageTarget {
  /** The journey's update and its input (sent as every journey update is: ../journeys/workflow-errors.ts). */
  update: UpdateDefinition<unknown, [I]>;
  input: I;
  /** A retry of what was recorded already: the journey refuses it with `taken`, which answers as the first time. */
  retry: boolean;
  taken: string;
  /** Takes back this very record (true when there was one), audited as `reverted`. */
  undo: (tx: EntityManager) => Promise<boolean>;
  reverted: string;
  /** The problem a refusal (or a closed journey, `undefined`) answers with. */
  refused: (cause: string | undefined) => Error;
}

/**
 * An objection and an appeal go the same way (the objection and appeal services): recorded with
 * their audit row in the gateway's table, then the journey is told; a refusal of the journey takes
 * the record back, audited as well. Filing and closing (review, decision) alike.
 */
export class DecisionStage {
  constructor(
    private readonly db: DataSource,
    private readonly auditLog: AuditLog,
    private readonly temporal: TemporalService,
    private readonly logger: Logger,
  ) {}

  /** Records in one transaction with its audit row; `clash` when it was recorded at the same moment. */
  async record(t: StageTarget, write: (tx: EntityManager) => Promise<boolean>, clash: Error, action: string, detail: Record<string, unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await write(tx))) throw clash;
      await this.audit(tx, t, action, detail);
    });
  }

  async tell<I>(u: StageUpdate<I>): Promise<void> {
    try {
      await sendUpdate(this.temporal.client, workflowIdOf(u.journeyId), u.update, u.input);
    } catch (err) {
      const cause = refusalOf(err);
      // A retry the journey already took: it answers as the first time.
      if (u.retry && cause?.startsWith(u.taken)) return;
      if (cause === undefined && !closed(err)) throw updateProblem(err);
      const why = cause ?? 'the journey has closed';
      await this.db.transaction(async (tx) => {
        if (await u.undo(tx)) await this.audit(tx, u, u.reverted, { cause: why });
      });
      this.logger.warn(`${u.reverted} for ${u.journeyId}/${u.nodeKey}: ${why}`);
      throw u.refused(cause);
    }
  }

  private async audit(tx: EntityManager, t: StageTarget, action: string, detail: Record<string, unknown>) {
    await this.auditLog.append({ actor: t.actor, action, targetType: 'decision', targetId: `${t.journeyId}/${t.nodeKey}`, detail: { journeyId: t.journeyId, node: t.nodeKey, ...detail } }, tx);
  }
}

/** The problem of a refusal: `what` the journey refused, and the `record` that was not kept; four eyes stay a 403. */
export function refusedBy(what: string, record: string) {
  return (cause: string | undefined): Error => {
    if (cause?.startsWith('Four eyes')) return forbidden(cause);
    return new ProblemException(409, `The journey refused the ${what}: ${cause ?? 'it has closed.'} The ${record} was not kept.`, { slug: 'refused-by-journey' });
  };
}

/** The journey's refusal (its validator's message), if that is what the error is. */
function refusalOf(err: unknown): string | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  return (err.cause as { message?: string } | undefined)?.message ?? 'the journey refused';
}

function closed(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || /not found|already completed/i.test(String((err as Error)?.message));
}

/** The explanation for the citizen, in the languages given (nl falls back to the first); `missing` when none is. */
export function explanationOf(explanation: Partial<Record<Language, string>> | undefined, missing: string): Translations {
  const given = Object.fromEntries((['nl', 'fr', 'de', 'en'] as const).flatMap((l) => (explanation?.[l]?.trim() ? [[l, explanation[l]!.trim()]] : [])));
  if (!Object.keys(given).length) throw invalid(missing, [{ path: '/explanation', message: 'give the explanation in at least one of nl, fr, de, en' }]);
  return { ...given, nl: given.nl ?? Object.values(given)[0] } as Translations;
}

/** A filed record as the API shows it: who acts on it (`agency`), and once closed, its verdict as `closing` (review, decision). */
export function filedView<C extends string>(r: FiledRow, lang: Language, agency: Record<string, string>, closing: C, closed: { by: string | null; at: Date | null }) {
  return {
    journeyId: r.journey_id,
    node: r.node_key,
    rule: { id: r.rule_id, version: r.rule_version },
    against: r.against,
    reason: r.reason,
    filedBy: r.filed_by,
    filedAt: r.filed_at,
    termEndsAt: r.term_ends_at,
    ...agency,
    status: r.status,
    ...(r.status !== 'filed'
      ? ({ [closing]: { verdict: r.verdict, outcome: r.verdict === 'uphold' ? r.against : r.verdict, by: closed.by, at: closed.at, explanation: tr(r.explanation, lang) ?? null } } as Partial<Record<C, unknown>>)
      : {}),
  };
}
