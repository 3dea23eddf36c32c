import { createHash } from 'node:crypto';

/** How a simulated agency service behaves: latency and injected failures. */
export interface Behaviour {
  failTimes?: number;
  failPermanently?: boolean;
  latencyMs?: number;
  status?: number;
}

export type CallOutcome = 'effective' | 'replayed' | 'failed';

export interface CallRecord {
  at: string;
  agency: string;
  service: string;
  idempotencyKey: string;
  body: unknown;
  outcome: CallOutcome;
  status: number;
}

interface StoredResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The agencies of the demo life events. Every call is recorded; the first successful response
 * for an idempotency key is stored and replayed, so tests can count effective calls.
 */
export class AgencySimulator {
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly responses = new Map<string, StoredResponse>();
  private readonly inFlight = new Map<string, Promise<StoredResponse>>();
  readonly calls: CallRecord[] = [];

  constructor(private readonly defaultLatencyMs = 0) {}

  setBehaviour(agency: string, service: string, behaviour: Behaviour) {
    this.behaviours.set(`${agency}/${service}`, { ...behaviour });
  }
  clearBehaviour(agency?: string, service?: string) {
    if (agency && service) this.behaviours.delete(`${agency}/${service}`);
    else this.behaviours.clear();
  }
  listBehaviours() {
    return Object.fromEntries(this.behaviours);
  }
  clearCalls() {
    this.calls.length = 0;
  }

  private behaviourFor(agency: string, service: string): Behaviour | undefined {
    return this.behaviours.get(`${agency}/${service}`) ?? this.behaviours.get(`${agency}/*`) ?? this.behaviours.get('*/*');
  }

  async handle(agency: string, service: string, idempotencyKey: string, body: unknown): Promise<StoredResponse & { outcome: CallOutcome }> {
    const behaviour = this.behaviourFor(agency, service);
    const latency = behaviour?.latencyMs ?? this.defaultLatencyMs;
    const storeKey = `${agency}/${service}/${idempotencyKey}`;
    const record = (outcome: CallOutcome, status: number) =>
      this.calls.push({ at: new Date().toISOString(), agency, service, idempotencyKey, body, outcome, status });

    const stored = this.responses.get(storeKey);
    if (stored) {
      if (latency) await sleep(latency);
      record('replayed', stored.status);
      return { ...stored, outcome: 'replayed' };
    }
    if (behaviour && (behaviour.failPermanently || (behaviour.failTimes ?? 0) > 0)) {
      if (!behaviour.failPermanently) behaviour.failTimes = (behaviour.failTimes ?? 0) - 1;
      if (latency) await sleep(latency);
      const status = behaviour.status ?? 503;
      record('failed', status);
      return { status, body: { type: 'about:blank', title: 'Injected failure', status, detail: `${agency}/${service} is failing on purpose (sandbox behaviour).` }, outcome: 'failed' };
    }
    // Concurrent calls with one key do the work once.
    const pending = this.inFlight.get(storeKey);
    if (pending) {
      const response = await pending;
      record('replayed', response.status);
      return { ...response, outcome: 'replayed' };
    }
    const work = (async () => {
      if (latency) await sleep(latency);
      const response = { status: 200, body: doWork(agency, service, idempotencyKey, body) };
      this.responses.set(storeKey, response);
      return response;
    })();
    this.inFlight.set(storeKey, work);
    try {
      const response = await work;
      record('effective', response.status);
      return { ...response, outcome: 'effective' };
    } finally {
      this.inFlight.delete(storeKey);
    }
  }

  summary() {
    const rows = new Map<string, { agency: string; service: string; idempotencyKey: string; total: number; effective: number; replayed: number; failed: number }>();
    for (const c of this.calls) {
      const key = `${c.agency}/${c.service}/${c.idempotencyKey}`;
      const row = rows.get(key) ?? { agency: c.agency, service: c.service, idempotencyKey: c.idempotencyKey, total: 0, effective: 0, replayed: 0, failed: 0 };
      row.total++;
      row[c.outcome]++;
      rows.set(key, row);
    }
    return [...rows.values()];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic results per service: the same key always yields the same reference. */
function doWork(agency: string, service: string, key: string, body: unknown): Record<string, unknown> {
  const digest = createHash('sha256').update(`${agency}/${service}/${key}`).digest('hex');
  const reference = `${agency.toUpperCase().slice(0, 3)}-${digest.slice(0, 10)}`;
  const digits = BigInt(`0x${digest.slice(0, 12)}`).toString().padStart(9, '0').slice(0, 9);
  const subject = (body as { subject?: unknown })?.subject;
  switch (service) {
    case 'register-enterprise':
      return { status: 'done', reference, enterpriseNumber: `0${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}`, subject };
    case 'activate-vat':
      return { status: 'done', reference, vatNumber: `BE0${digits}`, activeFrom: new Date().toISOString().slice(0, 10) };
    case 'alcohol-permit-precheck':
      return { status: 'done', reference, precheck: 'complete' };
    case 'suggest-support':
      return { status: 'done', reference, suggestions: ['start-up premium', 'coaching voucher'] };
    default:
      return { status: 'done', reference };
  }
}
