import { Inject, Injectable } from '@nestjs/common';
import type { LevensloopConfig } from '@levensloop/config';
import type { Translations } from '@levensloop/domain';
import { DataAccessLog } from '@levensloop/persistence';
import { createSourceClient, loggedRead, SourceRequestError, type SourceClient } from '@levensloop/sources';
import { CONFIG } from '../config.provider';
import { ProblemException } from '../common/problem';
import type { Principal } from '../auth/principal';

const PURPOSE: Translations = {
  nl: 'Nagaan of wie een mandaat geeft of intrekt voor een onderneming er volgens het register vertegenwoordiger van is',
  fr: "Vérifier dans le registre que la personne qui donne ou retire un mandat pour une entreprise en est le représentant",
  de: 'Im Register prüfen, ob die Person, die für ein Unternehmen ein Mandat erteilt oder widerruft, dessen Vertreter ist',
  en: 'Check in the register that whoever grants or revokes a mandate for an enterprise is its representative',
};
const LEGAL_BASIS = { type: 'law', reference: 'Wetboek van economisch recht, boek III, titel 2 (Kruispuntbank van Ondernemingen)' };

/**
 * Whether the enterprise register names a person as a legal representative of an enterprise:
 * asked every time (the register's word now, not a copy), each read in the access log.
 */
@Injectable()
export class Representatives {
  private readonly sources: SourceClient;

  constructor(
    @Inject(CONFIG) config: LevensloopConfig,
    private readonly log: DataAccessLog,
  ) {
    // No cache: a representative who left must not keep granting for the company.
    this.sources = createSourceClient({ ...config.sources, cacheTtlMs: 0 });
  }

  async confirms(p: Principal, enterprise: string): Promise<boolean> {
    if (!p.nationalNumber) return false;
    const entry = this.log.readEntry({
      subjectType: 'enterprise',
      subjectId: enterprise,
      agency: 'levensloop',
      stepKey: 'mandates',
      actor: p.sub,
      actorKind: 'citizen',
      source: 'enterprise-register',
      fields: ['representatives'],
      purpose: PURPOSE,
      legalBasis: LEGAL_BASIS,
    });
    try {
      const read = await loggedRead(entry, () =>
        this.sources.read('enterprise-register', { type: 'enterprise', id: enterprise }, ['representatives'], {
          purpose: PURPOSE.nl,
          legalBasis: `${LEGAL_BASIS.type}: ${LEGAL_BASIS.reference}`,
          requester: 'levensloop/mandates',
        }),
      );
      const list = (read.values as { representatives?: unknown }).representatives;
      return Array.isArray(list) && list.some((r) => (typeof r === 'string' ? r : (r as { nationalNumber?: unknown })?.nationalNumber) === p.nationalNumber);
    } catch (err) {
      if (err instanceof SourceRequestError) return false;
      throw new ProblemException(503, `The enterprise register cannot be asked right now (${(err as Error).message}); try again shortly.`, { slug: 'register-unavailable' });
    }
  }
}
