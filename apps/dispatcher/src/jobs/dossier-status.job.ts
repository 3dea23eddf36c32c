import { LANGUAGES, type Language } from '@levensloop/domain';
import { dossierActionNeeded, dossierPhase, dossierStatusCode, journeyLink, pick, type DossierView } from '@levensloop/notifications';
import type { ClaimedStatus, DossierSource, DossierStatusOutbox } from '@levensloop/persistence';
import type { SendResult } from '../channels/channel';
import { pushDossierStatus } from '../channels/ecounter.channel';
import { runLimited, type JobContext } from './context';

/** The dossier as the e-counter shows it, from the read model now (the newest state wins anyway). */
export function dossierPayload(source: DossierSource, seq: number, citizenWebUrl: string): Record<string, unknown> {
  const j = source.journey;
  const lang = ([j.language, j.prefilled_language].find((l) => (LANGUAGES as readonly (string | null)[]).includes(l)) ?? 'nl') as Language;
  const view: DossierView = { journeyStatus: j.status, steps: source.steps, citizenTasks: source.citizenTasks };
  const statusCode = dossierStatusCode(view);
  return {
    seq,
    subject: { type: j.subject_type, id: j.subject_id },
    audience: [j.subject_id, ...source.holders.filter((id) => id !== j.subject_id)],
    title: pick(j.title, lang).slice(0, 200),
    statusCode,
    phase: dossierPhase(view, lang).slice(0, 500),
    // The flag goes with the code (the e-counter checks it): a stopped dossier asks nothing.
    actionNeeded: statusCode === 'action_needed' ? dossierActionNeeded(view, lang) : { flag: false },
    link: journeyLink(citizenWebUrl, j.id),
    updatedAt: new Date(j.updated_at).toISOString(),
    language: lang,
  };
}

const heldKey = (p: ClaimedStatus) => `${p.journey_id}/${p.seq}`;

/** The dossier status on the e-counter: per journey only the newest pending change is sent. */
export class DossierStatusJob {
  constructor(
    private readonly ctx: JobContext,
    private readonly outbox: DossierStatusOutbox,
  ) {}

  /** Claimed and not recorded yet: what a stopping dispatcher gives back. */
  private readonly held = new Map<string, ClaimedStatus>();

  /** How many changes were pushed (or tried). */
  async run(): Promise<number> {
    const tokens = this.ctx.rates.take('status', this.ctx.n.batchSize);
    if (!tokens) return 0;
    const picked = await this.outbox.claim(tokens, this.ctx.n.leaseMs / 1000);
    this.ctx.rates.giveBack('status', tokens - picked.length);
    for (const p of picked) this.held.set(heldKey(p), p);
    // The push rate all dispatchers share: what it does not grant now goes back at once.
    const granted = await this.ctx.grant('status', picked.length);
    if (granted < picked.length) {
      this.ctx.rates.giveBack('status', picked.length - granted);
      const back = picked.slice(granted);
      for (const p of back) this.held.delete(heldKey(p));
      await this.outbox.release(back);
    }
    await runLimited(picked.slice(0, granted), 16, async (p) => {
      // Stopping: what has not started goes back (releaseHeld).
      if (this.ctx.stopping) return;
      await this.pushOne(p);
      this.held.delete(heldKey(p));
    });
    return granted;
  }

  /** Gives back every change this dispatcher holds and has not recorded (it is stopping); how many went back. */
  releaseHeld(): Promise<number> {
    const held = [...this.held.values()];
    this.held.clear();
    return this.outbox.release(held);
  }

  /** The payload of a journey's change now (undefined: the journey is not in the read model). */
  async payload(journeyId: string, seq: number): Promise<Record<string, unknown> | undefined> {
    const source = await this.outbox.dossierOf(journeyId);
    return source && dossierPayload(source, seq, this.ctx.n.citizenWebUrl);
  }

  private async pushOne(p: ClaimedStatus) {
    const payload = await this.payload(p.journey_id, p.seq);
    let result: SendResult;
    if (!payload) result = { kind: 'temporary', error: 'the journey is not in the read model yet' };
    else {
      try {
        result = await pushDossierStatus(this.ctx.n, p.journey_id, payload);
      } catch (err) {
        result = { kind: 'temporary', error: (err as Error).message };
      }
    }
    if (this.ctx.exitAfterSend === 'status' && result.kind === 'delivered') this.ctx.exitAfter(`pushing dossier ${p.journey_id} seq ${p.seq}`);
    if (payload && (result.kind === 'delivered' || result.kind === 'accepted' || result.kind === 'recorded')) {
      await this.outbox.markDelivered(p.journey_id, p.seq, payload);
      this.ctx.observe('dossier_status', 'delivered', p.created_at);
      return;
    }
    const error = result.kind === 'temporary' || result.kind === 'permanent' ? result.error : 'not delivered';
    const final = result.kind === 'permanent' || p.attempts >= this.ctx.n.maxAttempts;
    await this.outbox.markFailed(p.journey_id, p.seq, { final, error, retryInSeconds: this.ctx.backoffMs(p.attempts) / 1000, payload });
    this.ctx.observe('dossier_status', final ? 'failed' : 'temporary_failure');
  }
}
