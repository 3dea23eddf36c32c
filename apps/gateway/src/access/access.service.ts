import { Injectable } from '@nestjs/common';
import { journeyAccess, type Access, type JourneyAccessFacts, type JourneyReader, type Refusal } from '@levensloop/domain';
import type { JourneyInput } from '@levensloop/contracts/workflow';
import { journeyAtStart, JourneyLauncher } from '@levensloop/journeys';
import { JourneyFacts, type JourneyFactsRow } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { conflict, forbidden, notFound, ProblemException } from '../common/problem';
import { MandatesService } from '../mandates/mandates.service';

/** How long a read of a journey not in the read model yet asks Temporal for its start. */
const FALLBACK_READ_MS = 5_000;

export const refusalProblem = (r: Refusal) => (r.kind === 'conflict' ? conflict(r.message) : forbidden(r.message));

/**
 * Applies the access decisions of libs/domain: asks the mandates when a rule needs one, and loads
 * a journey for whoever may see it (anyone else gets the 404 of a journey that does not exist).
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly journeys: JourneyFacts,
    private readonly mandates: MandatesService,
    private readonly launcher: JourneyLauncher,
  ) {}

  /** As whom the rule allows, or undefined (a refusal the rule tells is thrown as its problem). */
  async resolve<As extends string>(p: Principal, access: Access<As>): Promise<As | undefined> {
    if (access.kind === 'allow') return access.as;
    if (access.kind === 'mandate' && (await this.mandates.mayActFor(p, access.need.subjectId, { lifeEvent: access.need.lifeEvent, access: access.need.access }))) {
      return access.as;
    }
    if (access.refusal) throw refusalProblem(access.refusal);
    return undefined;
  }

  /** Whether the principal may see a journey with these facts (subject, holder of a covering mandate, caseworker of an agency in it, auditor). */
  async seesJourney(p: Principal, facts: JourneyAccessFacts): Promise<boolean> {
    return (await this.resolve(p, journeyAccess(p, facts))) !== undefined;
  }

  /**
   * The journey's facts and as whom the principal sees it; 404 when it is not there or not theirs
   * to see. Before the workflow's first projection, the facts are those it started with.
   */
  async visibleJourney(p: Principal, journeyId: string): Promise<JourneyFactsRow & { as: JourneyReader }> {
    const journey = (await this.journeys.find(journeyId)) ?? (await this.startedFacts(journeyId));
    const as = journey ? await this.resolve(p, journeyAccess(p, { subjectId: journey.subject_id, agencies: journey.agencies, lifeEvent: journey.life_event_key })) : undefined;
    if (!journey || !as) throw notFound(`Journey ${journeyId}`);
    return { ...journey, as };
  }

  /**
   * What a journey's workflow started with, read from Temporal (a start answers before the
   * workflow's first projection, so a read right after it finds no row); undefined when there is
   * no such journey. Only a journey id (a UUID) is asked for.
   */
  async startedInput(journeyId: string): Promise<JourneyInput | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(journeyId)) return undefined;
    try {
      return await this.launcher.startedInput(journeyId, FALLBACK_READ_MS);
    } catch (err) {
      throw new ProblemException(503, `The journey engine is not reachable right now (${(err as Error).message}); try again.`, { slug: 'engine-unavailable' });
    }
  }

  private async startedFacts(journeyId: string): Promise<JourneyFactsRow | undefined> {
    const input = await this.startedInput(journeyId);
    return input && journeyAtStart(input).row;
  }
}
