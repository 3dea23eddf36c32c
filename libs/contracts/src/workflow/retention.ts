/**
 * The data lifecycle: a Temporal Schedule (`RETENTION_SCHEDULE_ID`, kept by the worker) starts the
 * retention workflow, which removes in bounded batches what is past its term and audits the run.
 * Workflow code imports this file: types and constants only.
 */
export const RETENTION_WORKFLOW_TYPE = 'retentionWorkflow';
export const RETENTION_SCHEDULE_ID = 'levensloop-retention';

/** Kinds in the order a run removes them: a letter before its message, a message before its journey, the logs last. */
export const RETENTION_RUN_ORDER = ['letters', 'messages', 'journeys', 'sourceEvents', 'dataAccessLog', 'auditLog'] as const;
export type RetentionRunKind = (typeof RETENTION_RUN_ORDER)[number];

export interface RetentionInput {
  /** ISO-8601 durations per kind (RETENTION_* in libs/config). */
  terms: Record<RetentionRunKind, string>;
  /** Rows per batch (one statement, one transaction). */
  batchSize: number;
}

export interface RetentionKindResult {
  removed: number;
  /** For a log: where its chain now starts (the last removed row's id and hash). */
  anchor?: { upToId: string; hash: string };
}

export interface RetentionResult {
  counts: Record<RetentionRunKind, number>;
  anchors: Partial<Record<RetentionRunKind, { upToId: string; hash: string }>>;
}

export interface RetentionActivities {
  /** Removes everything of one kind past its term, batch after batch (heartbeating between batches). */
  applyRetention(input: { kind: RetentionRunKind; term: string; batchSize: number }): Promise<RetentionKindResult>;
  /** One audit row for the run: counts per kind and the terms, no personal data. */
  auditRetention(input: { runId: string; terms: RetentionInput['terms']; result: RetentionResult }): Promise<void>;
}
