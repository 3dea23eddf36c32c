import { createHash } from 'node:crypto';
import { DataFactory, type NamedNode, type Quad } from 'n3';
import { isRoleReference, LANGUAGES, type AgencyServes, type DataRequirement, type LifeEventNode, type LifeEventDefinition, type ServiceStepDefinition, type SourceCatalog, type Translations } from '@levensloop/domain';
import { toXsdDuration } from './duration';
import { CHANNELS, EVIDENCE_DESCRIPTION, FIELD_FROM_SOURCE, LEGAL_BASIS_LABEL, SERVICE_DESCRIPTION } from './texts';
import { BELGIUM, CLASS, PROP, RDF_TYPE, XSD_DURATION } from './vocabulary';

const { namedNode, literal, quad } = DataFactory;

/** What the export describes: the agencies, and the step and life-event versions to publish. */
export interface CpsvCatalogue {
  /** `serves`: what the agency serves per agency role (a life event's node may name its agency by role). */
  agencies: Array<{ code: string; names: Translations; serves?: AgencyServes }>;
  steps: Array<ServiceStepDefinition & { version: number }>;
  lifeEvents: Array<LifeEventDefinition & { version: number }>;
}

/**
 * The IRIs of the export, under `<publicUrl>/catalog/id/`: built from keys and versions only,
 * so the same catalogue gives the same IRIs on every call and every replica.
 */
export class CpsvIris {
  private readonly base: string;
  constructor(publicUrl: string) {
    this.base = `${publicUrl.replace(/\/+$/, '')}/catalog/id`;
  }
  private iri = (...parts: Array<string | number>) => namedNode(`${this.base}/${parts.map((p) => encodeURIComponent(String(p))).join('/')}`);
  service = (s: { agency: string; key: string; version: number }) => this.iri('service', s.agency, s.key, s.version);
  organisation = (agency: string) => this.iri('organisation', agency);
  lifeEvent = (key: string) => this.iri('life-event', key);
  requirement = (s: { agency: string; key: string; version: number }, r: DataRequirement) => this.iri('service', s.agency, s.key, s.version, 'requirement', r.source, r.field);
  evidence = (r: DataRequirement) => this.iri('evidence', r.source, r.field);
  channel = (name: string) => this.iri('channel', name);
  legalBasisType = (type: string) => this.iri('legal-basis', type);
  /** A law or deliberation by its reference text: a readable start and a hash, so two references never share an IRI. */
  legalResource = (reference: string) => {
    const slug = reference.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').slice(0, 60).replace(/^-+|-+$/g, '');
    return this.iri('legal-resource', `${slug}-${createHash('sha256').update(reference).digest('hex').slice(0, 12)}`);
  };
}

/** The languages a text has, in the catalogue's order (nl, fr, de, en). */
const languagesOf = (t: Translations) => LANGUAGES.filter((l) => typeof t[l] === 'string' && t[l] !== '');
const inLanguage = (t: Translations, lang: (typeof LANGUAGES)[number]) => t[lang] ?? t.nl;

/**
 * The published catalogue as CPSV-AP 3 quads: a cpsv:PublicService per step version, its
 * competent authority (a cv:PublicOrganisation per agency), processing time (the service norm's
 * target), requirements and evidence (the data requirements, with their purpose and legal
 * basis), channels; a cv:LifeEvent (citizens) or cv:BusinessEvent (enterprises) per life event,
 * grouping its services. Pure: the same input gives the same quads, in the same order.
 */
export function buildCpsvGraph(catalogue: CpsvCatalogue, options: { publicUrl: string; sources: SourceCatalog }): Quad[] {
  const iris = new CpsvIris(options.publicUrl);
  const quads: Quad[] = [];
  const seen = new Set<string>();
  const add = (s: NamedNode, p: NamedNode, o: Quad['object']) => {
    const q = quad(s, p, o);
    const key = `${s.value} ${p.value} ${o.termType}:${o.value}:${o.termType === 'Literal' ? `${o.language}|${o.datatype.value}` : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    quads.push(q);
  };
  const texts = (s: NamedNode, p: NamedNode, t: Translations) => {
    for (const lang of languagesOf(t)) add(s, p, literal(t[lang] as string, lang));
  };
  const names = new Map(catalogue.agencies.map((a) => [a.code, a.names]));
  const agencyName = (code: string): Translations => names.get(code) ?? { nl: code };

  // Who groups which service: the exported life events' nodes.
  const servicesOf = nodeServices(catalogue);
  const groupedBy = new Map<string, NamedNode[]>();
  for (const event of catalogue.lifeEvents) {
    for (const node of event.nodes) {
      for (const step of servicesOf(node)) {
        const key = iris.service(step).value;
        groupedBy.set(key, [...(groupedBy.get(key) ?? []), iris.lifeEvent(event.key)]);
      }
    }
  }

  const organisations = new Set<string>();
  const organisation = (code: string) => {
    const org = iris.organisation(code);
    if (organisations.has(code)) return org;
    organisations.add(code);
    add(org, RDF_TYPE, CLASS.publicOrganisation);
    add(org, PROP.identifier, literal(code));
    texts(org, PROP.prefLabel, agencyName(code));
    add(org, PROP.spatial, BELGIUM);
    return org;
  };

  for (const [name, description] of Object.entries(CHANNELS)) {
    const channel = iris.channel(name);
    add(channel, RDF_TYPE, CLASS.channel);
    add(channel, PROP.identifier, literal(name));
    texts(channel, PROP.description, description);
  }

  for (const step of catalogue.steps) {
    const service = iris.service(step);
    add(service, RDF_TYPE, CLASS.publicService);
    add(service, PROP.identifier, literal(`${step.agency}/${step.key}/${step.version}`));
    add(service, PROP.versionInfo, literal(String(step.version)));
    texts(service, PROP.title, step.titles);
    const agency = agencyName(step.agency);
    for (const lang of languagesOf(step.titles)) {
      add(service, PROP.description, literal(SERVICE_DESCRIPTION[step.kind][lang](step.titles[lang] as string, inLanguage(agency, lang)), lang));
    }
    add(service, PROP.hasCompetentAuthority, organisation(step.agency));
    add(service, PROP.processingTime, literal(toXsdDuration(step.serviceNorm.target), XSD_DURATION));
    for (const name of Object.keys(CHANNELS)) add(service, PROP.hasChannel, iris.channel(name));
    for (const requirement of step.dataRequirements ?? []) {
      dataRequirement(service, step, requirement);
    }
    for (const event of groupedBy.get(service.value) ?? []) add(service, PROP.isGroupedBy, event);
  }

  function dataRequirement(service: NamedNode, step: ServiceStepDefinition & { version: number }, r: DataRequirement) {
    const source = options.sources[r.source];
    const sourceTitles: Translations = source?.titles ?? { nl: r.source };
    const fieldTitles: Translations = source?.fields[r.field]?.titles ?? { nl: r.field };

    const evidence = iris.evidence(r);
    add(evidence, RDF_TYPE, CLASS.evidence);
    add(evidence, PROP.identifier, literal(`${r.source}/${r.field}`));
    texts(evidence, PROP.title, namedPer(FIELD_FROM_SOURCE));
    texts(evidence, PROP.description, namedPer(EVIDENCE_DESCRIPTION));

    const requirement = iris.requirement(step, r);
    add(requirement, RDF_TYPE, CLASS.requirement);
    add(requirement, PROP.identifier, literal(`${step.agency}/${step.key}/${step.version}/${r.source}/${r.field}`));
    texts(requirement, PROP.title, namedPer(FIELD_FROM_SOURCE));
    texts(requirement, PROP.description, r.purpose);
    add(requirement, PROP.type, legalBasisType(r.legalBasis.type));
    add(requirement, PROP.hasSupportingEvidence, evidence);

    add(service, PROP.holdsRequirement, requirement);
    add(service, PROP.hasInput, evidence);
    // A law or a deliberation is a legal resource; a consent is not (the requirement's type says it).
    if (r.legalBasis.type !== 'consent') {
      const legal = iris.legalResource(r.legalBasis.reference);
      add(legal, RDF_TYPE, CLASS.legalResource);
      add(legal, PROP.title, literal(r.legalBasis.reference));
      add(legal, PROP.type, legalBasisType(r.legalBasis.type));
      add(service, PROP.hasLegalResource, legal);
    }

    function namedPer(texts: Record<(typeof LANGUAGES)[number], (field: string, source: string) => string>): Translations {
      const out: Translations = { nl: texts.nl(fieldTitles.nl, sourceTitles.nl) };
      for (const lang of languagesOf(fieldTitles)) out[lang] = texts[lang](inLanguage(fieldTitles, lang), inLanguage(sourceTitles, lang));
      return out;
    }
  }

  function legalBasisType(type: keyof typeof LEGAL_BASIS_LABEL) {
    const concept = iris.legalBasisType(type);
    add(concept, RDF_TYPE, CLASS.concept);
    texts(concept, PROP.prefLabel, LEGAL_BASIS_LABEL[type]);
    return concept;
  }

  for (const event of catalogue.lifeEvents) {
    const iri = iris.lifeEvent(event.key);
    add(iri, RDF_TYPE, event.audience === 'business' ? CLASS.businessEvent : CLASS.lifeEvent);
    add(iri, PROP.identifier, literal(event.key));
    add(iri, PROP.versionInfo, literal(String(event.version)));
    texts(iri, PROP.title, event.titles);
    for (const node of event.nodes) for (const step of servicesOf(node)) add(iri, PROP.hasRelatedService, iris.service(step));
  }
  return quads;
}

/**
 * The services a life event's node stands for: its pinned step version; for a node named by agency
 * role (its agency chosen when the step starts), the latest published version of the step at every
 * agency serving that role — not the role's placeholder, which is no service anyone delivers.
 */
function nodeServices(catalogue: CpsvCatalogue): (node: LifeEventNode) => Array<{ agency: string; key: string; version: number }> {
  const latest = new Map<string, ServiceStepDefinition & { version: number }>();
  for (const step of catalogue.steps) {
    const key = `${step.agency}/${step.key}`;
    if ((latest.get(key)?.version ?? 0) < step.version) latest.set(key, step);
  }
  return (node) => {
    if (!isRoleReference(node.step)) return [node.step];
    const role = node.step.agencyRole;
    return catalogue.agencies.filter((a) => a.serves?.[role] !== undefined).flatMap((a) => latest.get(`${a.code}/${node.step.key}`) ?? []);
  };
}
