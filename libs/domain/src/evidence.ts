import { LEGAL_BASIS_TYPES, type LegalBasis, type Translations } from './model';
import type { DocumentType } from './documents';
import type { SourceCatalog } from './data-requirements';
import { pointerSegment, type Problem } from './problem';

/**
 * Evidence from another agency instead of an upload (the EU once-only technical system's rule):
 * a document a citizen step asks for may say which authentic source can deliver it. It is
 * fetched only on the person's explicit request, held as a preview only they see, and becomes
 * the task's document only when they accept it.
 */

/** A kind of document an authentic source delivers (a certificate, a diploma, a deed). */
export interface EvidenceDescription {
  titles: Translations;
  /** The formats the source delivers it in. */
  contentTypes: DocumentType[];
}

/** Where a step's document can come from instead of an upload. */
export interface EvidenceSource {
  /** The authentic source's key (the source catalog), e.g. `criminal-record`. */
  source: string;
  /** The kind of document the source delivers, e.g. `certificate-of-good-conduct`. */
  type: string;
  /** Why it is asked, per language (shown in the access log). */
  purpose: Translations;
  legalBasis: LegalBasis;
}

/** How a task's document came: uploaded, or fetched from a source and accepted by the person. */
export interface DocumentOrigin {
  kind: 'evidence';
  source: string;
  type: string;
  /** Who asked for it and accepted it (the subject, or who acts for them). */
  requestedBy: string;
  fetchedAt: string;
}

const FIELDS = new Set(['source', 'type', 'purpose', 'legalBasis']);
const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined => (record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);

/** The sources of the catalog that deliver documents, and what each delivers. */
export const evidenceSources = (sources: SourceCatalog): string[] => Object.keys(sources).filter((k) => Object.keys(sources[k].evidence ?? {}).length > 0);

/**
 * Problems of the `evidence` of a step's documents, at `/documents/<i>/evidence`. Without a
 * source catalog only the shape is checked; with one, the source must deliver that type in a
 * format the document accepts.
 */
export function validateDocumentEvidence(
  documents: unknown,
  kind: unknown,
  sources: SourceCatalog | undefined,
  checkPurpose: (value: unknown, path: string, problems: Problem[]) => void,
): Problem[] {
  if (!Array.isArray(documents)) return [];
  const problems: Problem[] = [];
  documents.forEach((doc: unknown, i) => {
    if (!isRecord(doc) || doc.evidence === undefined) return;
    const at = `/documents/${i}/evidence`;
    const evidence = doc.evidence;
    if (kind !== 'citizen') {
      problems.push({ path: at, message: `evidence is fetched only on the person's own request, so only a citizen step's document says where it can come from (this is a ${String(kind)} step)` });
      return;
    }
    if (!isRecord(evidence)) {
      problems.push({ path: at, message: `evidence must be an object { "source", "type", "purpose": { "nl": "…" }, "legalBasis": { "type", "reference" } } (got ${describe(evidence)})` });
      return;
    }
    for (const field of Object.keys(evidence)) if (!FIELDS.has(field)) problems.push({ path: `${at}/${pointerSegment(field)}`, message: `unknown field '${field}'; evidence has source, type, purpose and legalBasis` });
    const source = typeof evidence.source === 'string' ? own(sources, evidence.source) : undefined;
    if (typeof evidence.source !== 'string' || !evidence.source) problems.push({ path: `${at}/source`, message: `source must be the key of an authentic source that delivers documents (got ${describe(evidence.source)})` });
    else if (sources && !source) problems.push({ path: `${at}/source`, message: `unknown source '${evidence.source}'; the sources that deliver documents are ${evidenceSources(sources).join(', ') || 'none'}` });
    else if (source && !Object.keys(source.evidence ?? {}).length) problems.push({ path: `${at}/source`, message: `source '${source.key}' delivers no documents; the sources that do are ${evidenceSources(sources!).join(', ') || 'none'}` });
    const delivered = source ? own(source.evidence, typeof evidence.type === 'string' ? evidence.type : '') : undefined;
    if (typeof evidence.type !== 'string' || !evidence.type) problems.push({ path: `${at}/type`, message: `type must name the kind of document the source delivers, e.g. 'certificate-of-good-conduct' (got ${describe(evidence.type)})` });
    else if (source && Object.keys(source.evidence ?? {}).length && !delivered) {
      problems.push({ path: `${at}/type`, message: `source '${source.key}' delivers no '${evidence.type}'; it delivers ${Object.keys(source.evidence!).join(', ')}` });
    } else if (delivered && Array.isArray(doc.acceptedTypes) && !delivered.contentTypes.some((t) => (doc.acceptedTypes as unknown[]).includes(t))) {
      problems.push({ path: `${at}/type`, message: `source '${source!.key}' delivers '${evidence.type}' as ${delivered.contentTypes.join(', ')}, which the document's acceptedTypes do not include` });
    }
    checkPurpose(evidence.purpose, `${at}/purpose`, problems);
    const basis = evidence.legalBasis;
    if (!isRecord(basis)) {
      problems.push({ path: `${at}/legalBasis`, message: `a legal basis is required: { "type": one of ${LEGAL_BASIS_TYPES.join(', ')}, "reference": "the law, deliberation or consent text" }` });
    } else {
      if (!(LEGAL_BASIS_TYPES as readonly string[]).includes(basis.type as string)) {
        problems.push({ path: `${at}/legalBasis/type`, message: `the legal basis type must be one of ${LEGAL_BASIS_TYPES.join(', ')} (got ${describe(basis.type)})` });
      }
      if (typeof basis.reference !== 'string' || !basis.reference.trim() || basis.reference.length > 500) {
        problems.push({ path: `${at}/legalBasis/reference`, message: 'the legal basis needs a reference a citizen can look up (the law and article, the deliberation number or the consent text), at most 500 characters' });
      }
    }
  });
  return problems;
}
