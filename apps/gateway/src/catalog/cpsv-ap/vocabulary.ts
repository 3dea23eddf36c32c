import { DataFactory, type NamedNode } from 'n3';

/**
 * The namespaces of CPSV-AP 3 (https://semiceu.github.io/CPSV-AP/releases/3.2.0/) the export
 * uses. The JSON-LD @context and the Turtle prefixes are both this one list, so the two
 * serialisations name every term the same way.
 */
export const PREFIXES = {
  cpsv: 'http://purl.org/vocab/cpsv#',
  cv: 'http://data.europa.eu/m8g/',
  dct: 'http://purl.org/dc/terms/',
  eli: 'http://data.europa.eu/eli/ontology#',
  owl: 'http://www.w3.org/2002/07/owl#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

type Prefix = keyof typeof PREFIXES;
const term = (prefix: Prefix, local: string): NamedNode => DataFactory.namedNode(`${PREFIXES[prefix]}${local}`);

export const RDF_TYPE = term('rdf', 'type');
export const XSD_DURATION = term('xsd', 'duration');

export const CLASS = {
  publicService: term('cpsv', 'PublicService'),
  publicOrganisation: term('cv', 'PublicOrganisation'),
  lifeEvent: term('cv', 'LifeEvent'),
  businessEvent: term('cv', 'BusinessEvent'),
  requirement: term('cv', 'Requirement'),
  evidence: term('cv', 'Evidence'),
  channel: term('cv', 'Channel'),
  legalResource: term('eli', 'LegalResource'),
  concept: term('skos', 'Concept'),
} as const;

export const PROP = {
  identifier: term('dct', 'identifier'),
  title: term('dct', 'title'),
  description: term('dct', 'description'),
  type: term('dct', 'type'),
  spatial: term('dct', 'spatial'),
  prefLabel: term('skos', 'prefLabel'),
  versionInfo: term('owl', 'versionInfo'),
  hasCompetentAuthority: term('cv', 'hasCompetentAuthority'),
  processingTime: term('cv', 'processingTime'),
  holdsRequirement: term('cv', 'holdsRequirement'),
  hasSupportingEvidence: term('cv', 'hasSupportingEvidence'),
  // CPSV-AP 3 keeps "has input" in the cpsv namespace (cpsv:hasInput), not in cv.
  hasInput: term('cpsv', 'hasInput'),
  hasChannel: term('cv', 'hasChannel'),
  hasLegalResource: term('cv', 'hasLegalResource'),
  isGroupedBy: term('cv', 'isGroupedBy'),
  hasRelatedService: term('cv', 'hasRelatedService'),
} as const;

/** Belgium in the EU's country authority table: the area every agency of this catalogue covers (agencies carry no area yet). */
export const BELGIUM = DataFactory.namedNode('http://publications.europa.eu/resource/authority/country/BEL');

/** `cv:PublicService` for a full IRI in a known namespace; the IRI itself otherwise. */
export function compact(iri: string): string {
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && /^[A-Za-z_][\w-]*$/.test(iri.slice(ns.length))) return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}
