import type { LegalBasis, LifeEventSnapshot, SourceCatalog, Translations } from '@levensloop/domain';

/** One field a step will read: from which authentic source, why, and on what legal basis. */
export interface PreviewDataItem {
  source: string;
  sourceTitles: Translations;
  field: string;
  fieldTitles: Translations;
  purpose: Translations;
  legalBasis: LegalBasis;
}

export interface PreviewStep {
  node: string;
  titles: Translations;
  agency: { code: string; names: Translations };
  kind: string;
  /** The citizen may skip it, or it fails without blocking the journey. */
  optional: boolean;
  /** It runs only when its condition over the journey's data holds. */
  conditional: boolean;
  data: PreviewDataItem[];
}

/** What starting a life event will read about the subject, before they start it (the OOTS preview). */
export interface LifeEventPreview {
  lifeEvent: { key: string; version: number; audience: string; titles: Translations };
  steps: PreviewStep[];
  /** Every source read, once, in the order the steps first read it. */
  sources: Array<{ key: string; titles: Translations }>;
}

/**
 * The preview of a published life event, from its pinned step versions' data requirements. Titles
 * of sources and fields come from the source catalog (a field it no longer knows keeps its name).
 */
export function previewOf(snapshot: LifeEventSnapshot, agencyNames: Map<string, Translations>, sources: SourceCatalog): LifeEventPreview {
  const seen = new Map<string, Translations>();
  const steps = snapshot.nodes.map((node): PreviewStep => {
    const step = node.definition;
    return {
      node: node.key,
      titles: step.titles,
      agency: { code: step.agency, names: agencyNames.get(step.agency) ?? { nl: step.agency } },
      kind: step.kind,
      optional: !!node.optional,
      conditional: node.condition !== undefined,
      data: (step.dataRequirements ?? []).map((r) => {
        const source = sources[r.source];
        const sourceTitles = source?.titles ?? { nl: r.source };
        if (!seen.has(r.source)) seen.set(r.source, sourceTitles);
        return { source: r.source, sourceTitles, field: r.field, fieldTitles: source?.fields[r.field]?.titles ?? { nl: r.field }, purpose: r.purpose, legalBasis: r.legalBasis };
      }),
    };
  });
  return {
    lifeEvent: { key: snapshot.key, version: snapshot.version, audience: snapshot.audience, titles: snapshot.titles },
    steps,
    sources: [...seen].map(([key, titles]) => ({ key, titles })),
  };
}
