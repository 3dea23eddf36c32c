/** Step statuses after which a step does nothing more. */
export const TERMINAL = new Set(['completed', 'skipped', 'cancelled']);
/** Timeline events kept in workflow state after they are projected (for the live query). */
export const TIMELINE_KEPT = 50;
