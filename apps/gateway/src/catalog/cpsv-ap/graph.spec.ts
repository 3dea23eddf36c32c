import type { Quad } from 'n3';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { toXsdDuration } from './duration';
import { buildCpsvGraph, type CpsvCatalogue } from './graph';
import { toJsonLd, toTurtle } from './serialise';
import { PREFIXES } from './vocabulary';

const ID = 'https://api.example.be/catalog/id';
const { cpsv, cv, dct, eli, skos } = PREFIXES;

const catalogue = (): CpsvCatalogue => ({
  agencies: [
    { code: 'enterprise-counter', names: { nl: 'Ondernemingsloket', fr: "Guichet d'entreprises", de: 'Unternehmensschalter', en: 'Enterprise counter' } },
    { code: 'municipality', names: { nl: 'Gemeente', en: 'Municipality' } },
  ],
  steps: [
    {
      agency: 'enterprise-counter',
      key: 'register-enterprise',
      version: 2,
      kind: 'automatic',
      titles: { nl: 'Onderneming inschrijven', en: 'Register the enterprise' },
      serviceNorm: { target: 'P1D', warn: 'PT8H' },
      dataRequirements: [
        { source: 'national-register', field: 'birthDate', purpose: { nl: 'Inschrijven', en: 'Register' }, legalBasis: { type: 'law', reference: 'Wetboek van economisch recht, art. III.16' } },
        { source: 'national-register', field: 'contact.email', purpose: { nl: 'Contact' }, legalBasis: { type: 'consent', reference: 'Toestemming' } },
      ],
    },
    { agency: 'municipality', key: 'alcohol-permit', version: 1, kind: 'caseworker', titles: { nl: 'Vergunning' }, serviceNorm: { target: 'P2W' } },
  ],
  lifeEvents: [
    {
      key: 'starting-a-business',
      version: 3,
      audience: 'citizen',
      titles: { nl: 'Een eenmanszaak starten', en: 'Start a business' },
      nodes: [
        { key: 'register', step: { agency: 'enterprise-counter', key: 'register-enterprise', version: 2 } },
        { key: 'permit', step: { agency: 'municipality', key: 'alcohol-permit', version: 1 }, dependsOn: ['register'] },
      ],
    },
    { key: 'hiring', version: 1, audience: 'business', titles: { nl: 'Personeel aanwerven' }, nodes: [{ key: 'register', step: { agency: 'enterprise-counter', key: 'register-enterprise', version: 2 } }] },
  ],
});

const build = () => buildCpsvGraph(catalogue(), { publicUrl: 'https://api.example.be/', sources: SOURCE_CATALOG });
/** `subject predicate object` lines, literals as "text"@lang or "text"^^type. */
const lines = (quads: Quad[]) =>
  quads.map((q) => `${q.subject.value} ${q.predicate.value} ${q.object.termType === 'Literal' ? `"${q.object.value}"${q.object.language ? `@${q.object.language}` : `^^${q.object.datatype.value}`}` : q.object.value}`);
const about = (quads: Quad[], subject: string, predicate: string) => lines(quads.filter((q) => q.subject.value === subject && q.predicate.value === predicate)).map((l) => l.slice(subject.length + predicate.length + 2));

const SERVICE = `${ID}/service/enterprise-counter/register-enterprise/2`;
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

describe('the catalogue as CPSV-AP quads', () => {
  it('a public service per step version: identifier, titles and descriptions per language, authority, processing time, channels', () => {
    const g = build();
    expect(about(g, SERVICE, RDF_TYPE)).toEqual([`${cpsv}PublicService`]);
    expect(about(g, SERVICE, `${dct}identifier`)).toEqual(['"enterprise-counter/register-enterprise/2"^^http://www.w3.org/2001/XMLSchema#string']);
    expect(about(g, SERVICE, `${dct}title`)).toEqual(['"Onderneming inschrijven"@nl', '"Register the enterprise"@en']);
    expect(about(g, SERVICE, `${dct}description`)).toEqual([
      '"Onderneming inschrijven: Ondernemingsloket handelt dit automatisch af. U hoeft er niets voor te doen."@nl',
      '"Register the enterprise: Enterprise counter handles this automatically. You need not do anything."@en',
    ]);
    expect(about(g, SERVICE, `${cv}hasCompetentAuthority`)).toEqual([`${ID}/organisation/enterprise-counter`]);
    expect(about(g, SERVICE, `${cv}processingTime`)).toEqual(['"P1D"^^http://www.w3.org/2001/XMLSchema#duration']);
    expect(about(g, `${ID}/service/municipality/alcohol-permit/1`, `${cv}processingTime`)).toEqual(['"P14D"^^http://www.w3.org/2001/XMLSchema#duration']);
    expect(about(g, SERVICE, `${cv}hasChannel`)).toEqual([`${ID}/channel/console`, `${ID}/channel/api`]);
    const org = `${ID}/organisation/municipality`;
    expect(about(g, org, RDF_TYPE)).toEqual([`${cv}PublicOrganisation`]);
    expect(about(g, org, `${skos}prefLabel`)).toEqual(['"Gemeente"@nl', '"Municipality"@en']);
    expect(about(g, org, `${dct}spatial`)).toEqual(['http://publications.europa.eu/resource/authority/country/BEL']);
  });

  it('requirements and evidence from the data requirements; a law is a legal resource, a consent is not', () => {
    const g = build();
    const requirement = `${SERVICE}/requirement/national-register/birthDate`;
    const evidence = `${ID}/evidence/national-register/birthDate`;
    expect(about(g, SERVICE, `${cv}holdsRequirement`)).toEqual([requirement, `${SERVICE}/requirement/national-register/contact.email`]);
    expect(about(g, SERVICE, `${cpsv}hasInput`)).toEqual([evidence, `${ID}/evidence/national-register/contact.email`]);
    expect(about(g, requirement, `${dct}title`)).toEqual(['"Geboortedatum (Rijksregister)"@nl', '"Date de naissance (Registre national)"@fr', '"Geburtsdatum (Nationalregister)"@de', '"Date of birth (National register of persons)"@en']);
    expect(about(g, requirement, `${dct}description`)).toEqual(['"Inschrijven"@nl', '"Register"@en']);
    expect(about(g, requirement, `${dct}type`)).toEqual([`${ID}/legal-basis/law`]);
    expect(about(g, requirement, `${cv}hasSupportingEvidence`)).toEqual([evidence]);
    expect(about(g, evidence, RDF_TYPE)).toEqual([`${cv}Evidence`]);
    const legal = about(g, SERVICE, `${cv}hasLegalResource`);
    expect(legal).toEqual([expect.stringMatching(new RegExp(`^${ID}/legal-resource/wetboek-van-economisch-recht-art-iii-16-[0-9a-f]{12}$`))]);
    expect(about(g, legal[0], RDF_TYPE)).toEqual([`${eli}LegalResource`]);
    expect(about(g, legal[0], `${dct}title`)).toEqual(['"Wetboek van economisch recht, art. III.16"^^http://www.w3.org/2001/XMLSchema#string']);
    expect(about(g, `${SERVICE}/requirement/national-register/contact.email`, `${dct}type`)).toEqual([`${ID}/legal-basis/consent`]);
    // A long reference is cut to a readable start, without a dangling dash before the hash.
    const reference = 'Wetboek van economisch recht, boek III, titel 2 (Kruispuntbank van Ondernemingen), art. III.16';
    const step = { ...catalogue().steps[0], dataRequirements: [{ source: 'national-register', field: 'birthDate', purpose: { nl: 'x' }, legalBasis: { type: 'deliberation' as const, reference } }] };
    const long = buildCpsvGraph({ ...catalogue(), steps: [step] }, { publicUrl: 'https://api.example.be', sources: SOURCE_CATALOG });
    expect(about(long, SERVICE, `${cv}hasLegalResource`)).toEqual([expect.stringMatching(/\/legal-resource\/wetboek-van-economisch-recht-boek-iii-titel-2-kruispuntbank-[0-9a-f]{12}$/)]);
  });

  it('a life event for citizens, a business event for enterprises, each grouping its services (and the services say so)', () => {
    const g = build();
    const start = `${ID}/life-event/starting-a-business`;
    expect(about(g, start, RDF_TYPE)).toEqual([`${cv}LifeEvent`]);
    expect(about(g, `${ID}/life-event/hiring`, RDF_TYPE)).toEqual([`${cv}BusinessEvent`]);
    expect(about(g, start, `${cv}hasRelatedService`)).toEqual([SERVICE, `${ID}/service/municipality/alcohol-permit/1`]);
    expect(about(g, SERVICE, `${cv}isGroupedBy`)).toEqual([start, `${ID}/life-event/hiring`]);
  });

  it('is the same on every call, and serialises the same quads to JSON-LD with compact IRIs and to Turtle', async () => {
    expect(lines(build())).toEqual(lines(build()));
    const jsonLd = toJsonLd(build());
    expect(JSON.stringify(toJsonLd(build()))).toBe(JSON.stringify(jsonLd));
    expect(jsonLd['@context']).toMatchObject({ cpsv, cv, dct, eli, skos });
    const service = jsonLd['@graph'].find((n) => n['@id'] === SERVICE);
    expect(service).toMatchObject({
      '@type': 'cpsv:PublicService',
      'dct:identifier': 'enterprise-counter/register-enterprise/2',
      'cv:hasCompetentAuthority': { '@id': `${ID}/organisation/enterprise-counter` },
      'cv:processingTime': { '@value': 'P1D', '@type': 'xsd:duration' },
      'dct:title': [{ '@value': 'Onderneming inschrijven', '@language': 'nl' }, { '@value': 'Register the enterprise', '@language': 'en' }],
    });
    const turtle = await toTurtle(build());
    expect(turtle).toContain('@prefix cpsv: <http://purl.org/vocab/cpsv#>.');
    expect(turtle).toContain(`<${SERVICE}> a cpsv:PublicService`);
    expect(turtle).toContain('cv:processingTime "P1D"^^xsd:duration');
    // Texts in the catalogue's language order, not by their value.
    expect(turtle).toContain('dct:title "Geboortedatum (Rijksregister)"@nl, "Date de naissance (Registre national)"@fr, "Geburtsdatum (Nationalregister)"@de, "Date of birth (National register of persons)"@en');
    expect(await toTurtle(build())).toBe(turtle);
  });
});

describe('service norms as xsd:duration', () => {
  it.each([
    ['P5D', 'P5D'],
    ['PT4H', 'PT4H'],
    ['P1M', 'P1M'],
    ['PT0.5S', 'PT0.5S'],
    ['P2W', 'P14D'],
    ['P1W2DT3H', 'P9DT3H'],
    ['P1,5D', 'P1DT12H'],
  ])('%s → %s', (norm, duration) => expect(toXsdDuration(norm)).toBe(duration));

  it('a node named by agency role groups the latest published step of every agency serving the role, not the role placeholder', () => {
    const c = catalogue();
    c.agencies.push({ code: 'gent', names: { nl: 'Gent' }, serves: { municipality: '44021' } }, { code: 'leuven', names: { nl: 'Leuven' }, serves: { municipality: '24062' } }, { code: 'knokke-heist', names: { nl: 'Knokke-Heist' }, serves: { municipality: '31043' } });
    const resident = (agency: string, version: number) => ({ agency, key: 'register-new-resident', version, kind: 'caseworker' as const, titles: { nl: 'Inschrijving' }, serviceNorm: { target: 'P5D' } });
    c.steps.push(resident('gent', 1), resident('gent', 2), resident('leuven', 1));
    c.lifeEvents.push({ key: 'moving-house', version: 1, audience: 'citizen', titles: { nl: 'Verhuizen' }, nodes: [{ key: 'register', step: { agencyRole: 'municipality', agency: 'municipality', key: 'register-new-resident', version: 0 } }] });
    const g = buildCpsvGraph(c, { publicUrl: 'https://api.example.be/', sources: SOURCE_CATALOG });
    const event = `${ID}/life-event/moving-house`;
    expect(about(g, event, `${cv}hasRelatedService`).sort()).toEqual([`${ID}/service/gent/register-new-resident/2`, `${ID}/service/leuven/register-new-resident/1`]);
    expect(about(g, `${ID}/service/leuven/register-new-resident/1`, `${cv}isGroupedBy`)).toEqual([event]);
    expect(about(g, `${ID}/service/gent/register-new-resident/1`, `${cv}isGroupedBy`)).toEqual([]);
    expect(lines(g).some((l) => l.includes('/service/municipality/register-new-resident/0'))).toBe(false);
  });
});
