import { LEGAL_BASIS_TYPES, type DataRequirement, type SubjectType, type Translations } from './model';
import type { Problem } from './problem';
import type { EvidenceDescription } from './evidence';

/**
 * What the authentic sources hold, as data: the catalog checks a step's data requirements
 * against it, the connectors fetch by it. The concrete catalog lives with the connectors
 * (libs/sources); the domain only knows its shape.
 */
export interface SourceField {
  type: 'string' | 'date' | 'number' | 'boolean' | 'object' | 'list';
  titles: Translations;
}

export interface SourceDescription {
  key: string;
  titles: Translations;
  /** Whose records the source holds: a step of a journey about another kind of subject cannot read it. */
  subjectTypes: SubjectType[];
  fields: Record<string, SourceField>;
  /** The documents the source delivers as evidence, by type (see evidence.ts); absent: none. */
  evidence?: Record<string, EvidenceDescription>;
}

export type SourceCatalog = Record<string, SourceDescription>;

/** `source/field`: how a requirement is named in step state, tasks and the access log. */
export const fieldId = (r: { source: string; field: string }): string => `${r.source}/${r.field}`;

const MAX_REQUIREMENTS = 100;
const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
/** Own keys only: `constructor` or `__proto__` must not pass as a source or a field. */
const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);

/**
 * Problems with a step's data requirements (paths under `/dataRequirements`). Without a source
 * catalog only the shape is checked; with one, unknown sources and fields are refused.
 */
export function validateDataRequirements(
  requirements: unknown,
  sources: SourceCatalog | undefined,
  checkTranslations: (value: unknown, path: string, problems: Problem[]) => void,
): Problem[] {
  if (requirements === undefined) return [];
  if (!Array.isArray(requirements)) {
    return [{ path: '/dataRequirements', message: 'dataRequirements must be a list: [{ "source", "field", "purpose": { "nl": "…" }, "legalBasis": { "type", "reference" } }]' }];
  }
  const problems: Problem[] = [];
  if (requirements.length > MAX_REQUIREMENTS) problems.push({ path: '/dataRequirements', message: `a step declares at most ${MAX_REQUIREMENTS} fields (got ${requirements.length})` });
  const seen = new Map<string, number>();
  requirements.forEach((req: unknown, i) => {
    const path = `/dataRequirements/${i}`;
    if (!isRecord(req)) {
      problems.push({ path, message: 'each data requirement is an object { source, field, purpose, legalBasis }' });
      return;
    }
    const source = typeof req.source === 'string' && sources ? own(sources, req.source) : undefined;
    if (typeof req.source !== 'string' || !req.source) problems.push({ path: `${path}/source`, message: `source must be the key of an authentic source (got ${describe(req.source)})` });
    else if (sources && !source) problems.push({ path: `${path}/source`, message: `unknown source '${req.source}'; known sources: ${Object.keys(sources).filter((k) => Object.keys(sources[k].fields).length).sort().join(', ')}` });
    if (typeof req.field !== 'string' || !req.field) problems.push({ path: `${path}/field`, message: `field must be a field path of the source, e.g. 'birthDate' (got ${describe(req.field)})` });
    else if (source && !own(source.fields, req.field)) {
      problems.push({ path: `${path}/field`, message: `source '${source.key}' has no field '${req.field}'; its fields are ${Object.keys(source.fields).sort().join(', ')}` });
    }
    if (typeof req.source === 'string' && typeof req.field === 'string') {
      const id = fieldId({ source: req.source, field: req.field });
      if (seen.has(id)) problems.push({ path: `${path}/field`, message: `'${id}' is declared twice (also at /dataRequirements/${seen.get(id)}); declare each field once` });
      else seen.set(id, i);
    }
    checkTranslations(req.purpose, `${path}/purpose`, problems);
    const basis = req.legalBasis;
    if (!isRecord(basis)) {
      problems.push({ path: `${path}/legalBasis`, message: `a legal basis is required: { "type": one of ${LEGAL_BASIS_TYPES.join(', ')}, "reference": "the law, deliberation or consent text" }` });
    } else {
      if (!(LEGAL_BASIS_TYPES as readonly string[]).includes(basis.type as string)) {
        problems.push({ path: `${path}/legalBasis/type`, message: `the legal basis type must be one of ${LEGAL_BASIS_TYPES.join(', ')} (got ${describe(basis.type)})` });
      }
      if (typeof basis.reference !== 'string' || !basis.reference.trim() || basis.reference.length > 500) {
        problems.push({ path: `${path}/legalBasis/reference`, message: 'the legal basis needs a reference a citizen can look up (the law and article, the deliberation number or the consent text), at most 500 characters' });
      }
    }
  });
  return problems;
}

/** Problems of a step's data requirements against the subject types a life event serves. */
export function requirementSubjectProblems(requirements: DataRequirement[] | undefined, subjectType: SubjectType, sources: SourceCatalog): string[] {
  const problems: string[] = [];
  for (const r of requirements ?? []) {
    const source = own(sources, r.source);
    if (source && !source.subjectTypes.includes(subjectType)) problems.push(`'${fieldId(r)}' is about ${source.subjectTypes.map(aSubject).join(' or ')}, not ${aSubject(subjectType)}`);
  }
  return problems;
}

const aSubject = (type: SubjectType) => (type === 'enterprise' ? 'an enterprise' : 'a person');

/** Reads `a.b.c` from a record; undefined when any segment is missing. */
export function readPath(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const segment of path.split('.')) {
    if (!isRecord(value) || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}
