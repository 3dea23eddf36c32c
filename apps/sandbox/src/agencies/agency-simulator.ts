import { setTimeout as delay } from 'node:timers/promises';
import { problem, type ProblemDetails } from '../http/problem';
import { performService, type AgencyRequest, type AgencyResult } from './agency-services';
import { DEFAULT_FAILURE_STATUS, type Behaviour } from './behaviour';

export type CallOutcome = 'effective' | 'replayed' | 'failed';

/** One call to an agency endpoint, as the sandbox saw it. */
export interface CallRecord {
  /** When the call arrived (ISO 8601). */
  at: string;
  agency: string;
  service: string;
  idempotencyKey: string;
  body: unknown;
  outcome: CallOutcome;
  status: number;
  /** The W3C trace context the call came with, if any (the engine sends its journey's). */
  traceparent?: string;
}

export interface CallFilter {
  agency?: string;
  service?: string;
  key?: string;
  outcome?: CallOutcome;
}

export interface CallSummary {
  agency: string;
  service: string;
  idempotencyKey: string;
  total: number;
  effective: number;
  replayed: number;
  failed: number;
}

export interface BehaviourEntry extends Behaviour {
  agency: string;
  service: string;
}

export type AgencyAnswer =
  | { outcome: 'effective' | 'replayed'; status: number; body: AgencyResult }
  | { outcome: 'failed'; status: number; body: ProblemDetails; location?: undefined }
  /** A redirect behaviour: recorded as failed (no work done), answered with Location. */
  | { outcome: 'failed'; status: number; body?: undefined; location: string };

export interface AgencySimulatorOptions {
  /** Latency of every agency answer unless a behaviour says otherwise (SANDBOX_AGENCY_LATENCY_MS). */
  defaultLatencyMs?: number;
  /** Oldest call records are dropped beyond this many (the idempotency store is kept). */
  maxCallRecords?: number;
  /** Services that answer from the sandbox's registers (e.g. the land registry); undefined falls back to `performService`. */
  services?: (agency: string, service: string, idempotencyKey: string, body: AgencyRequest) => AgencyResult | undefined;
}

const WILDCARD = '*';

/**
 * The simulated agencies. Every call is recorded. The first successful answer for an
 * (agency, service, idempotency key) is stored and replayed for later calls with that key, so a
 * test can count the *effective* calls: the ones that did the work. Injected failures come first
 * (an agency that is down answers nothing, not even replays) and are never effective.
 */
export class AgencySimulator {
  private readonly behaviours = new Map<string, BehaviourEntry>();
  private readonly answers = new Map<string, AgencyResult>();
  private readonly records: CallRecord[] = [];
  private dropped = 0;
  private readonly aborter = new AbortController();
  private readonly defaultLatencyMs: number;
  private readonly maxCallRecords: number;
  private readonly services: AgencySimulatorOptions['services'];

  constructor(options: AgencySimulatorOptions = {}) {
    this.defaultLatencyMs = options.defaultLatencyMs ?? 0;
    this.maxCallRecords = options.maxCallRecords ?? 100_000;
    this.services = options.services;
  }

  // ── behaviour ──────────────────────────────────────────────────────────────

  setBehaviour(agency: string, service: string, behaviour: Behaviour): BehaviourEntry {
    const entry: BehaviourEntry = { agency, service, ...behaviour };
    this.behaviours.set(`${agency}/${service}`, entry);
    return { ...entry };
  }

  /** Deletes one behaviour (the service recovers), or all of them without arguments. */
  clearBehaviour(agency?: string, service?: string): boolean {
    if (agency === undefined || service === undefined) {
      const had = this.behaviours.size > 0;
      this.behaviours.clear();
      return had;
    }
    return this.behaviours.delete(`${agency}/${service}`);
  }

  listBehaviours(): BehaviourEntry[] {
    return [...this.behaviours.values()].map((b) => ({ ...b }));
  }

  /** Most specific first: agency/service, agency/*, * /service, * /*. */
  private behavioursFor(agency: string, service: string): BehaviourEntry[] {
    return [`${agency}/${service}`, `${agency}/${WILDCARD}`, `${WILDCARD}/${service}`, `${WILDCARD}/${WILDCARD}`]
      .map((k) => this.behaviours.get(k))
      .filter((b): b is BehaviourEntry => b !== undefined);
  }

  /** The latency of the most specific behaviour that sets one, else the default. */
  private latencyFor(chain: BehaviourEntry[]): number {
    return chain.find((b) => b.latencyMs !== undefined)?.latencyMs ?? this.defaultLatencyMs;
  }

  /** Takes one injected failure from the most specific behaviour that has one left. */
  private takeFailure(chain: BehaviourEntry[]): number | undefined {
    const failing = chain.find((b) => b.failPermanently || (b.failTimes ?? 0) > 0);
    if (!failing) return undefined;
    if (!failing.failPermanently) failing.failTimes = (failing.failTimes ?? 0) - 1;
    return failing.status ?? DEFAULT_FAILURE_STATUS;
  }

  // ── calls ──────────────────────────────────────────────────────────────────

  async handle(agency: string, service: string, idempotencyKey: string, body: unknown, traceparent?: string): Promise<AgencyAnswer> {
    const at = new Date().toISOString();
    const chain = this.behavioursFor(agency, service);
    const latency = this.latencyFor(chain);
    // Decide on arrival, so concurrent calls each take their own injected failure.
    const failureStatus = this.takeFailure(chain);
    const storeKey = JSON.stringify([agency, service, idempotencyKey]);
    const record = (answer: AgencyAnswer): AgencyAnswer => {
      this.record({ at, agency, service, idempotencyKey, body, outcome: answer.outcome, status: answer.status, ...(traceparent ? { traceparent } : {}) });
      return answer;
    };

    if (latency > 0) await delay(latency, undefined, { signal: this.aborter.signal });

    const redirect = chain.find((b) => b.redirectTo !== undefined);
    if (redirect) return record({ outcome: 'failed', status: redirect.redirectStatus ?? 302, location: redirect.redirectTo! });

    if (failureStatus !== undefined) {
      return record({
        outcome: 'failed',
        status: failureStatus,
        body: problem(failureStatus, 'injected-failure', `${agency}/${service} is failing on purpose (sandbox behaviour); the call did no work.`, { agency, service }),
      });
    }
    // Checked after the latency and without awaiting before the store, so calls with one key that
    // arrive together still do the work once: the first to finish waiting does it.
    const stored = this.answers.get(storeKey);
    if (stored) return record({ outcome: 'replayed', status: 200, body: stored });
    const request = (body ?? {}) as AgencyRequest;
    const result = this.services?.(agency, service, idempotencyKey, request) ?? performService(agency, service, idempotencyKey, request);
    this.answers.set(storeKey, result);
    return record({ outcome: 'effective', status: 200, body: result });
  }

  private record(call: CallRecord) {
    this.records.push(call);
    if (this.records.length > this.maxCallRecords) {
      this.records.shift();
      this.dropped++;
    }
  }

  calls(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter(
      (c) =>
        (filter.agency === undefined || c.agency === filter.agency) &&
        (filter.service === undefined || c.service === filter.service) &&
        (filter.key === undefined || c.idempotencyKey === filter.key) &&
        (filter.outcome === undefined || c.outcome === filter.outcome),
    );
  }

  /** How many records were dropped because of `maxCallRecords` since the last clear. */
  get droppedCalls(): number {
    return this.dropped;
  }

  /** Counts per (agency, service, idempotency key), in order of first call. */
  summary(filter: CallFilter = {}): CallSummary[] {
    const rows = new Map<string, CallSummary>();
    for (const c of this.calls(filter)) {
      const key = JSON.stringify([c.agency, c.service, c.idempotencyKey]);
      let row = rows.get(key);
      if (!row) {
        row = { agency: c.agency, service: c.service, idempotencyKey: c.idempotencyKey, total: 0, effective: 0, replayed: 0, failed: 0 };
        rows.set(key, row);
      }
      row.total++;
      row[c.outcome]++;
    }
    return [...rows.values()];
  }

  /** Forgets the call records (not the stored answers: idempotency survives a clear). */
  clearCalls(): void {
    this.records.length = 0;
    this.dropped = 0;
  }

  /** Cancels pending latency waits, so a closing server does not keep timers alive. */
  dispose(): void {
    this.aborter.abort();
  }
}
