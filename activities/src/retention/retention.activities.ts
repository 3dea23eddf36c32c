import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import type { RetentionActivities, RetentionKindResult } from '@levensloop/contracts/workflow';
import { AuditLog, Retention, type DocumentStore } from '@levensloop/persistence';

/**
 * The retention schedule's activities: removals through the Retention repository, batch after
 * batch until a batch comes back short, and the run's audit row.
 */
export function createRetentionActivities(deps: { dataSource: DataSource; documentsTerm?: string; documentStore?: DocumentStore }): RetentionActivities {
  const retention = new Retention(deps.dataSource, { documentsTerm: deps.documentsTerm, documentStore: deps.documentStore });
  const audit = new AuditLog(deps.dataSource);
  return {
    async applyRetention({ kind, term, batchSize }) {
      const total: RetentionKindResult = { removed: 0 };
      for (;;) {
        const batch = await retention.purge(kind, term, batchSize).catch((err: Error) => {
          // A term under the database's floor (log_retention_floors) fails the same way every time: no retries, the run says why.
          if (/keeps at least .* \(log_retention_floors\)/.test(err.message)) throw ApplicationFailure.nonRetryable(err.message, 'RetentionBelowFloor');
          throw err;
        });
        total.removed += batch.removed;
        if (batch.anchor) total.anchor = batch.anchor;
        heartbeat(total.removed);
        if (batch.removed < batchSize) return total;
      }
    },
    async auditRetention({ runId, terms, result }) {
      // Counts and terms only: what was removed is gone, and who it was about must not come back here.
      await audit.appendOnce({ actor: 'system:retention', action: 'retention.applied', targetType: 'retention', targetId: runId, detail: { terms, ...result } });
    },
  };
}
