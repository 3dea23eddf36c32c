import { parseDuration } from '@levensloop/domain';

/**
 * How long each kind of record is kept (ISO-8601 durations), enforced by the retention schedule
 * the worker keeps (`levensloop-retention`). A term counts from the record's end: a journey's from
 * its completion or cancellation (a running journey is never touched), a message's from its
 * creation, a log entry's from its time.
 */
export interface RetentionConfig {
  /**
   * RETENTION_JOURNEYS (default P2Y): a finished journey's read model (journey, steps, timeline,
   * tasks, decisions and overrides, step data, consents given in it and their withdrawals). Two
   * years covers the appeal periods against a decision and a complaint to the ombudsman (one year
   * after the facts), with room for the appeal's own handling.
   */
  journeys: string;
  /**
   * RETENTION_MESSAGES (default P1Y): message contents (notifications, deliveries with their
   * rendered texts and addresses, read marks, SMS reports, dossier-status pushes). The decision
   * the message announced is kept with the journey; a year lets a citizen or an ombudsman ask
   * what was sent and when.
   */
  messages: string;
  /**
   * RETENTION_LETTERS (default P6M): paper letters' PDFs (name and postal address in them) and
   * their print receipts. Printed and posted within days; six months answers "I never received
   * it" and a reprint.
   */
  letters: string;
  /**
   * RETENTION_DATA_ACCESS_LOG (default P10Y): the data-access log outlives the journey: the law
   * on the national register (Belgian law of 8 August 1983, art. 17) has who consulted a person's
   * data kept for ten years, so a person can ask long after the journey is gone.
   */
  dataAccessLog: string;
  /**
   * RETENTION_AUDIT_LOG (default P10Y): who changed what (overrides, withdrawals, catalog,
   * retention runs): accountability on the same horizon as the access log.
   */
  auditLog: string;
  /**
   * RETENTION_SOURCE_EVENTS (default P1Y): the source-event inbox, processed or failed. It
   * deduplicates a source's redeliveries (days) and answers a source's question about an event;
   * the journeys it started keep their own term. An event still `received` is never removed.
   */
  sourceEvents: string;
  /**
   * RETENTION_TEMPORAL_HISTORY (default P30D): the Temporal namespace's workflow-execution
   * retention, how long a closed journey's history stays readable in Temporal (the read model
   * keeps the journey); the worker sets it on the namespace at every start.
   */
  temporalHistory: string;
  /**
   * RETENTION_DOCUMENTS (default RETENTION_JOURNEYS's term, at most that): documents uploaded to a
   * finished journey's tasks (their encrypted content and references). As long as the journey by
   * default: they are the evidence its decisions rest on, for the same appeal periods.
   */
  documents: string;
  /** RETENTION_EVERY (default P1D): how often the retention schedule runs. */
  every: string;
  /** RETENTION_BATCH (default 1000): rows removed per statement and transaction, so no run holds long locks. */
  batchSize: number;
}

export const RETENTION_DEFAULTS: Omit<RetentionConfig, 'batchSize'> = {
  journeys: 'P2Y',
  messages: 'P1Y',
  letters: 'P6M',
  dataAccessLog: 'P10Y',
  auditLog: 'P10Y',
  sourceEvents: 'P1Y',
  temporalHistory: 'P30D',
  every: 'P1D',
  documents: 'P2Y',
};

const NAMES: Record<keyof typeof RETENTION_DEFAULTS, string> = {
  journeys: 'RETENTION_JOURNEYS',
  messages: 'RETENTION_MESSAGES',
  letters: 'RETENTION_LETTERS',
  dataAccessLog: 'RETENTION_DATA_ACCESS_LOG',
  auditLog: 'RETENTION_AUDIT_LOG',
  sourceEvents: 'RETENTION_SOURCE_EVENTS',
  temporalHistory: 'RETENTION_TEMPORAL_HISTORY',
  every: 'RETENTION_EVERY',
  documents: 'RETENTION_DOCUMENTS',
};

/** Reads the retention terms; problems name the variable and what it takes. */
export function readRetentionConfig(env: Record<string, string | undefined>): { config: RetentionConfig; problems: string[] } {
  const problems: string[] = [];
  const terms = { ...RETENTION_DEFAULTS };
  for (const key of Object.keys(NAMES) as Array<keyof typeof NAMES>) {
    const raw = env[NAMES[key]]?.trim();
    if (!raw) continue;
    if (parseDuration(raw) === undefined) problems.push(`${NAMES[key]} must be an ISO-8601 duration such as P2Y, P6M or P30D (got ${raw})`);
    else terms[key] = raw;
  }
  // Temporal keeps a closed history at least a day; a shorter value is refused by the server.
  if ((parseDuration(terms.temporalHistory) ?? 0) < 86_400_000) problems.push(`RETENTION_TEMPORAL_HISTORY must be at least P1D, Temporal's minimum (got ${terms.temporalHistory})`);
  // The access log legally outlives the journey it was written for.
  if ((parseDuration(terms.dataAccessLog) ?? 0) < (parseDuration(terms.journeys) ?? 0)) problems.push(`RETENTION_DATA_ACCESS_LOG (${terms.dataAccessLog}) must not be shorter than RETENTION_JOURNEYS (${terms.journeys}): the access log outlives the journey`);
  // Unset, documents keep their journey's term.
  if (!env.RETENTION_DOCUMENTS?.trim()) terms.documents = terms.journeys;
  // A journey's documents go with it at the latest (their references live in its rows).
  if ((parseDuration(terms.documents) ?? 0) > (parseDuration(terms.journeys) ?? 0)) problems.push(`RETENTION_DOCUMENTS (${terms.documents}) must not be longer than RETENTION_JOURNEYS (${terms.journeys}): documents go with their journey at the latest`);
  let batchSize = 1000;
  const rawBatch = env.RETENTION_BATCH?.trim();
  if (rawBatch) {
    const n = Number(rawBatch);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) problems.push(`RETENTION_BATCH must be an integer between 1 and 100000 (got ${rawBatch})`);
    else batchSize = n;
  }
  return { config: { ...terms, batchSize }, problems };
}
