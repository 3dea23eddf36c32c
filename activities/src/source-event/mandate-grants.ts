import type { DataSource, EntityManager } from 'typeorm';
import type { MandateConfirmation, MandateOutcome, MandateRequest } from '@levensloop/contracts/workflow';
import type { Translations } from '@levensloop/domain';
import { appendAudit, DataAccessLog, Mandates, type HeldMandate, type MandateAccess } from '@levensloop/persistence';
import { createSourceClient, loggedRead, SourceRequestError, type SourceClient, type SourcesConfig } from '@levensloop/sources';

export type { MandateConfirmation, MandateOutcome, MandateRequest };

/** How each kind of subject's relations are confirmed: which register, which field names the holders. */
const REGISTERS = {
  person: {
    source: 'national-register',
    fields: ['family.parents', 'birthDate'],
    relation: 'a parent',
    legalBasis: { type: 'law', reference: 'Wet van 8 augustus 1983 tot regeling van een Rijksregister van de natuurlijke personen, art. 5' },
  },
  enterprise: {
    source: 'enterprise-register',
    fields: ['representatives'],
    relation: 'a representative',
    legalBasis: { type: 'law', reference: 'Wetboek van economisch recht, boek III, titel 2 (Kruispuntbank van Ondernemingen)' },
  },
} as const;

const PURPOSE: Translations = {
  nl: 'Nagaan of wie een mandaat krijgt volgens het register ouder of vertegenwoordiger is',
  fr: "Vérifier dans le registre que la personne qui reçoit un mandat en est le parent ou le représentant",
  de: 'Im Register prüfen, ob die Person, die ein Mandat erhält, Elternteil oder Vertreter ist',
  en: 'Check in the register that whoever gets a mandate is a parent or representative',
};

/** A parent acts for a child until the child comes of age. */
const AGE_OF_MAJORITY = 18;

/** The moment a person born on `birthDate` (YYYY-MM-DD) turns `years`, at midnight UTC. */
export function birthdayAt(birthDate: string, years: number): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]) + years, Number(m[2]), Number(m[3])];
  // 29 February in a year without it: the day after 28 February.
  const date = new Date(Date.UTC(y, mo - 1, d));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Mandates from source events, granted only on the register's word: the declared parents of a
 * newborn are checked against the national register's family data (a parent's mandate ends at the
 * child's 18th birthday), the founder of an enterprise against the enterprise register's
 * representatives. Every read is in the access log; every grant, refusal and revocation in the
 * audit log.
 */
export class MandateGrants {
  private readonly sources: SourceClient;
  private readonly mandates: Mandates;

  constructor(
    private readonly db: DataSource,
    config: { sources: SourcesConfig },
  ) {
    this.sources = createSourceClient(config.sources);
    this.mandates = new Mandates(db);
  }

  /**
   * Asks the register who of the declared holders it confirms. Throws the source client's
   * errors when the register cannot answer (the event then waits for a retry: no mandate is
   * granted on anything but the register's word). A register that refuses the read (4xx: asking
   * again will not change its answer) confirms nobody: every holder is refused, with its answer.
   */
  async confirm(request: MandateRequest): Promise<MandateConfirmation> {
    const register = REGISTERS[request.subject.type];
    const entry = new DataAccessLog(this.db).readEntry({
      subjectType: request.subject.type,
      subjectId: request.subject.id,
      journeyId: request.journeyId,
      agency: 'levensloop',
      stepKey: 'mandates',
      actor: 'levensloop/mandates',
      actorKind: 'step',
      source: register.source,
      fields: [...register.fields],
      purpose: PURPOSE,
      legalBasis: register.legalBasis,
    });
    let read: Awaited<ReturnType<SourceClient['read']>>;
    try {
      read = await loggedRead(entry, () =>
        this.sources.read(register.source, request.subject, [...register.fields], {
          purpose: PURPOSE.nl,
          legalBasis: `${register.legalBasis.type}: ${register.legalBasis.reference}`,
          requester: 'levensloop/mandates',
          journeyId: request.journeyId,
        }),
      );
    } catch (err) {
      if (!(err instanceof SourceRequestError)) throw err;
      const reason = `${register.source} refused the read, so it cannot confirm the relation: ${err.message}`;
      return { request, confirmed: [], refused: request.holders.map((holder) => ({ holder, reason })), register: register.source };
    }
    const result: MandateConfirmation = { request, confirmed: [], refused: [], register: register.source };
    if (!read.found) {
      for (const holder of request.holders) result.refused.push({ holder, reason: `${register.source} holds no record of ${request.subject.id}, so it cannot confirm ${holder} as ${register.relation}` });
      return result;
    }
    const values = read.values as { family?: { parents?: unknown }; birthDate?: unknown; representatives?: unknown };
    const related = new Set<string>(
      request.subject.type === 'person'
        ? (Array.isArray(values.family?.parents) ? values.family.parents : []).filter((p): p is string => typeof p === 'string')
        : (Array.isArray(values.representatives) ? values.representatives : []).map((r) => (typeof r === 'string' ? r : (r as { nationalNumber?: unknown })?.nationalNumber)).filter((p): p is string => typeof p === 'string'),
    );
    const validUntil = request.subject.type === 'person' && typeof values.birthDate === 'string' ? birthdayAt(values.birthDate, AGE_OF_MAJORITY) : null;
    for (const holder of request.holders) {
      if (!related.has(holder)) result.refused.push({ holder, reason: `${register.source} does not name ${holder} as ${register.relation} of ${request.subject.id}` });
      // Fail closed: a parent's mandate without a readable birth date would never end.
      else if (request.subject.type === 'person' && !validUntil) result.refused.push({ holder, reason: `${register.source} gives no readable birth date for ${request.subject.id}, so a parent's mandate would have no end: not granted` });
      else if (validUntil && Date.parse(validUntil) <= Date.now()) result.refused.push({ holder, reason: `${request.subject.id} came of age on ${validUntil.slice(0, 10)}: a parent's mandate has ended` });
      else result.confirmed.push({ holder, validUntil: request.subject.type === 'person' ? validUntil : null });
    }
    return result;
  }

  /**
   * Grants what the register confirmed and audits each grant and refusal, in one transaction. A
   * mandate that has ended (revoked or expired) is renewed with the new end and scope; one that
   * runs but covers less than asked is widened to cover both; either is audited as
   * `mandate.renewed`. Only a running mandate that already covers the scope `existed`.
   */
  async grant(c: MandateConfirmation): Promise<MandateOutcome[]> {
    return this.db.transaction((tx) => this.grantIn(tx, c));
  }

  private async grantIn(tx: EntityManager, c: MandateConfirmation): Promise<MandateOutcome[]> {
    const { request } = c;
    const outcomes: MandateOutcome[] = [];
    const holders = c.confirmed.map((h) => h.holder);
    const existing = holders.length ? await this.mandates.lockHeld(tx, request.subject.id, request.kind, holders) : [];
    const held = new Map(existing.map((m) => [m.holder_id, m]));
    const scope = { lifeEvents: request.lifeEvents ?? ('all' as const), access: request.access };
    for (const h of c.confirmed) {
      const before = held.get(h.holder);
      let action: MandateOutcome['action'];
      const mandate = { holder_id: h.holder, subject_id: request.subject.id, kind: request.kind, source: request.event.source, valid_until: h.validUntil ? new Date(h.validUntil) : null };
      if (!before) {
        const inserted = await this.mandates.insert(tx, { ...mandate, subject_type: request.subject.type, access: request.access, life_events: request.lifeEvents });
        action = inserted ? 'granted' : 'existed';
        if (inserted) await audit(tx, request, h.holder, 'mandate.granted', { scope, validUntil: h.validUntil, confirmedBy: c.register });
      } else {
        const next = before.running ? widened(before, request) : { access: request.access, lifeEvents: request.lifeEvents };
        if (!next) {
          action = 'existed';
        } else {
          await this.mandates.renew(tx, { ...mandate, access: next.access, life_events: next.lifeEvents });
          action = 'renewed';
          await audit(tx, request, h.holder, 'mandate.renewed', {
            scope: { lifeEvents: next.lifeEvents ?? 'all', access: next.access },
            validUntil: h.validUntil,
            previous: { scope: { lifeEvents: before.life_events ?? 'all', access: before.access }, validUntil: before.valid_until, ended: !before.running },
            confirmedBy: c.register,
          });
        }
      }
      outcomes.push({ holderId: h.holder, subjectId: request.subject.id, kind: request.kind, action });
    }
    for (const r of c.refused) {
      outcomes.push({ holderId: r.holder, subjectId: request.subject.id, kind: request.kind, action: 'refused', reason: r.reason });
      await audit(tx, request, r.holder, 'mandate.refused', { reason: r.reason, register: c.register });
    }
    return outcomes;
  }

  /** Ends the mandates a source granted for a subject (its registration was annulled), each revocation audited, in one transaction. */
  async revokeAll(subject: string, event: { source: string; id: string }): Promise<MandateOutcome[]> {
    return this.db.transaction(async (tx) => {
      const revoked = await this.mandates.endFromSource(tx, subject, event.source);
      for (const m of revoked) {
        await appendAudit(tx, {
          actor: `source:${event.source}`,
          action: 'mandate.revoked',
          targetType: 'mandate',
          targetId: `${subject}/${m.holder_id}/${m.kind}`,
          detail: { holder: m.holder_id, subject: { type: m.subject_type, id: subject }, kind: m.kind, reason: `the registration was annulled (event ${event.id})`, event },
        });
      }
      return revoked.map((m) => ({ holderId: m.holder_id, subjectId: subject, kind: m.kind, action: 'revoked' as const }));
    });
  }
}

async function audit(tx: EntityManager, r: MandateRequest, holder: string, action: string, detail: Record<string, unknown>) {
  await appendAudit(tx, {
    actor: `source:${r.event.source}`,
    action,
    targetType: 'mandate',
    targetId: `${r.subject.id}/${holder}/${r.kind}`,
    detail: { holder, subject: r.subject, kind: r.kind, journeyId: r.journeyId, lifeEvent: r.lifeEvent, event: r.event, ...detail },
  });
}

/**
 * The scope a running mandate needs to cover what is asked too (acting if either acts; the life
 * events of both, every one if either has every one), or undefined when it already does.
 */
export function widened(held: Pick<HeldMandate, 'access' | 'life_events'>, asked: { access: MandateAccess; lifeEvents: string[] | null }): { access: MandateAccess; lifeEvents: string[] | null } | undefined {
  const access: MandateAccess = held.access === 'act' || asked.access === 'act' ? 'act' : 'read';
  const lifeEvents = held.life_events === null || asked.lifeEvents === null ? null : [...new Set([...held.life_events, ...asked.lifeEvents])].sort();
  const same = access === held.access && (lifeEvents === null ? held.life_events === null : held.life_events !== null && lifeEvents.length === new Set(held.life_events).size);
  return same ? undefined : { access, lifeEvents };
}
