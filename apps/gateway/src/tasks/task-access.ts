import type { TaskAccessFacts } from '@levensloop/domain';
import type { TaskRow } from '@levensloop/persistence';

/** What the access rules read of a task row (tasks and their documents alike). */
export const accessFacts = (t: TaskRow): TaskAccessFacts => ({
  assignee: t.assignee,
  agency: t.agency,
  subjectId: t.subject_id,
  lifeEvent: t.life_event_key ?? undefined,
  status: t.status,
  claimedBy: t.claimed_by,
  team: t.team,
});
