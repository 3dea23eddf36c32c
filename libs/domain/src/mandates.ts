/**
 * When a mandate counts, as SQL over a `mandates` row, in one place: the gateway (who may see or
 * act) and the dispatcher (who gets a copy, whose contact details are read) ask the same question.
 */

/** `read`: see the subject's journeys (and what they hold); `act`: also complete tasks and consent. */
export type MandateAccess = 'read' | 'act';

/** SQL that holds while a mandate row (columns unqualified or with `alias.`) runs: started, and not (yet) ended. */
export function mandateRunsSql(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}valid_from <= now() AND (${a}valid_until IS NULL OR ${a}valid_until > now())`;
}

/** A mandate counts while it runs (unqualified columns). */
export const VALID_MANDATE_SQL = mandateRunsSql();

/**
 * SQL that holds when a mandate row (columns unqualified or with `alias.`) covers a life event
 * (an SQL expression, e.g. `journeys.life_event_key`; absent: regardless of life event) at an
 * access level: running, the life event in its scope, and `act` when acting is asked.
 */
export function mandateCoversSql(lifeEventExpr: string | undefined, access: MandateAccess, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return [
    mandateRunsSql(alias),
    lifeEventExpr ? `(${a}life_events IS NULL OR ${lifeEventExpr} = ANY(${a}life_events))` : undefined,
    access === 'act' ? `${a}access = 'act'` : undefined,
  ]
    .filter(Boolean)
    .join(' AND ');
}
