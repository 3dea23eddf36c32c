import type { EvidenceSource, Translations } from '@levensloop/domain';
import { SOURCE_CATALOG } from '@levensloop/sources';

/** What a task form shows of a document's source ("Get it from <source>"): titles in every language, never the legal text alone. */
export function evidenceOffer(evidence: EvidenceSource): { source: string; sourceTitles: Translations; type: string; typeTitles: Translations; purpose: Translations; legalBasis: { type: string; reference: string } } {
  const source = SOURCE_CATALOG[evidence.source];
  return {
    source: evidence.source,
    sourceTitles: source?.titles ?? { nl: evidence.source },
    type: evidence.type,
    typeTitles: source?.evidence?.[evidence.type]?.titles ?? { nl: evidence.type },
    purpose: evidence.purpose,
    legalBasis: evidence.legalBasis,
  };
}
