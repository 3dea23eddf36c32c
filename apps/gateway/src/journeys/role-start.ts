import { Inject, Injectable } from '@nestjs/common';
import type { LevensloopConfig } from '@levensloop/config';
import { CatalogService } from '@levensloop/catalog';
import { AGENCY_ROLES, isRoleReference, type AgencyRole, type LifeEventSnapshot, type Subject, type Translations } from '@levensloop/domain';
import { DataAccessLog } from '@levensloop/persistence';
import { createSourceClient, loggedRead, readRoleKey, SourceRequestError, type SourceClient } from '@levensloop/sources';
import { CONFIG } from '../config.provider';
import { ProblemException } from '../common/problem';
import type { Principal } from '../auth/principal';

/** Why the register is read when a caseworker starts a journey for someone (the data-access log shows it). */
const PURPOSE: Translations = {
  nl: 'Nagaan of u bij de gemeente (of andere dienst) hoort van de medewerker die voor u een levensgebeurtenis start',
  fr: "Vérifier que vous relevez de la commune (ou d'un autre service) de l'agent qui démarre un événement de vie pour vous",
  de: 'Prüfen, ob Sie zur Gemeinde (oder einer anderen Stelle) der Person gehören, die für Sie ein Lebensereignis startet',
  en: 'Check that you belong to the municipality (or other service) of the caseworker who starts a life event for you',
};

/** A start by role: allowed, or refused with why. */
export type RoleStartAnswer = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether a caseworker may start a life event whose steps are named by agency role (the subject's
 * municipality) for a subject: their agency serves the role (`serves[role]`), and the role's
 * authentic source places the subject there (the key it answers is the one they serve). Read the
 * way the journey routes its steps (`readRoleKey`), every read in the access log, never cached: a
 * citizen who moved is no longer the old municipality's.
 */
@Injectable()
export class RoleStarts {
  private readonly sources: SourceClient;

  constructor(
    @Inject(CONFIG) config: LevensloopConfig,
    private readonly log: DataAccessLog,
    private readonly catalog: CatalogService,
  ) {
    this.sources = createSourceClient({ ...config.sources, cacheTtlMs: 0 });
  }

  async check(p: Principal, snapshot: LifeEventSnapshot, subject: Subject): Promise<RoleStartAnswer> {
    const roleNodes = snapshot.nodes.filter((n) => isRoleReference(n.step));
    const byCode = [...new Set(snapshot.nodes.filter((n) => !isRoleReference(n.step)).map((n) => n.definition.agency))];
    const roles = [...new Set(roleNodes.map((n) => n.step.agencyRole!))].map((code) => AGENCY_ROLES[code]).filter((r): r is AgencyRole => !!r);
    const agency = p.agency ? await this.catalog.getAgency(p.agency).catch(() => undefined) : undefined;
    const served = roles.filter((r) => agency?.serves?.[r.code] && r.subjectTypes.includes(subject.type));
    if (!p.agency || !agency || !served.length) {
      const who = [...byCode.map((a) => `a caseworker of ${a}`), ...roles.map((r) => `a caseworker of the agency serving the subject's ${r.code}`)].join(', or ');
      return {
        allowed: false,
        reason: p.agency
          ? `Your agency '${p.agency}' has no step in life event '${snapshot.key}' and serves none of its agency roles (${roles.map((r) => r.code).join(', ') || 'none'}), so you cannot start it for someone; ${who} can.`
          : 'Your token names no agency: a caseworker starts journeys only for life events in which their agency has a step, or serves the subject for a step named by role.',
      };
    }
    let reason = '';
    for (const role of served) {
      const want = agency.serves![role.code];
      const key = await this.keyOf(p, role, subject, roleNodes.find((n) => n.step.agencyRole === role.code)!.step.key);
      if (key === want) return { allowed: true };
      const label = role.keyLabel.en;
      reason =
        key === undefined
          ? `The ${role.source} holds no ${role.field} for the subject, so it does not place them in your ${role.code} (${label} ${want}): you cannot start life event '${snapshot.key}' for them.`
          : `The ${role.source} places the subject in ${role.code} ${label} ${key}, not in ${label} ${want} that your agency '${agency.code}' serves: only the agency serving ${label} ${key} starts life event '${snapshot.key}' for them.`;
    }
    return { allowed: false, reason };
  }

  /** The role's key for the subject (undefined when the register knows none), read and logged as the caseworker's. */
  private async keyOf(p: Principal, role: AgencyRole, subject: Subject, stepKey: string): Promise<string | undefined> {
    const entry = this.log.readEntry({
      subjectType: subject.type,
      subjectId: subject.id,
      agency: p.agency ?? null,
      stepKey,
      actor: p.sub,
      actorKind: 'caseworker',
      source: role.source,
      fields: [role.field],
      purpose: PURPOSE,
      legalBasis: role.legalBasis,
    });
    try {
      return await loggedRead(entry, () => readRoleKey(this.sources, role, subject, { purpose: PURPOSE.nl, requester: `${p.agency}/start` }));
    } catch (err) {
      // The register does not know the subject: not theirs.
      if (err instanceof SourceRequestError) return undefined;
      throw new ProblemException(503, `The ${role.source} cannot be asked right now (${(err as Error).message}); try again shortly.`, { slug: 'register-unavailable' });
    }
  }
}
