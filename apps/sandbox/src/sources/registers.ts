import { setTimeout as delay } from 'node:timers/promises';
import type { SourceBehaviour } from './behaviour';

/** One read of a register, as the register logged it (MAGDA: who asked, for what, why). */
export interface SourceRead {
  at: string;
  source: string;
  /** The record asked for: a national number, an enterprise number or an address id. */
  subject: string;
  fields: string[];
  purpose?: string;
  legalBasis?: string;
  requester?: string;
  journeyId?: string;
  status: number;
}

export interface SourceReadFilter {
  source?: string;
  subject?: string;
}

export interface SourceBehaviourEntry extends SourceBehaviour {
  source: string;
}

/**
 * State of the simulated registers: injected behaviour per source and the read log. The
 * records themselves live in the population.
 */
export class SourceRegisters {
  private readonly behaviours = new Map<string, SourceBehaviourEntry>();
  private readonly log: SourceRead[] = [];
  private readonly aborter = new AbortController();

  constructor(
    /** The bearer token every read must carry (SANDBOX_SOURCES_TOKEN). */
    readonly token: string,
    private readonly maxReads = 100_000,
  ) {}

  setBehaviour(source: string, behaviour: SourceBehaviour): SourceBehaviourEntry {
    const entry = { source, ...behaviour };
    this.behaviours.set(source, entry);
    return { ...entry };
  }

  clearBehaviour(source?: string) {
    if (source === undefined) this.behaviours.clear();
    else this.behaviours.delete(source);
  }

  listBehaviours(): SourceBehaviourEntry[] {
    return [...this.behaviours.values()].map((b) => ({ ...b }));
  }

  /**
   * Applies the source's behaviour to one read: waits its latency, then tells whether this read
   * fails (and with what status). A `failTimes` behaviour counts down and then disappears.
   */
  async behave(source: string): Promise<number | undefined> {
    const b = this.behaviours.get(source);
    if (!b) return undefined;
    if (b.latencyMs) await delay(b.latencyMs, undefined, { signal: this.aborter.signal });
    if (!b.failWith) return undefined;
    if (b.failTimes !== undefined) {
      b.failTimes -= 1;
      if (b.failTimes <= 0) {
        if (b.latencyMs) this.behaviours.set(source, { source, latencyMs: b.latencyMs });
        else this.behaviours.delete(source);
      }
    }
    return b.failWith;
  }

  record(read: SourceRead) {
    this.log.push(read);
    if (this.log.length > this.maxReads) this.log.splice(0, this.log.length - this.maxReads);
  }

  reads(filter: SourceReadFilter = {}): SourceRead[] {
    return this.log.filter((r) => (!filter.source || r.source === filter.source) && (!filter.subject || r.subject === filter.subject));
  }

  clearReads() {
    this.log.length = 0;
  }

  /** Cuts pending slow answers short (the sandbox is closing). */
  dispose() {
    this.aborter.abort();
  }
}
