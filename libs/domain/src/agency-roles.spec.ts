import { AGENCY_ROLES, isRoleReference, notOfferedMessage, roleReference, roleReferenceProblems, routingExplanation, validateServes } from './agency-roles';
import type { LifeEventDefinition, ServiceStepDefinition, StepReference } from './model';
import { validateLifeEvent, type StepResolver } from './validation';

const municipality = AGENCY_ROLES.municipality;
const step: ServiceStepDefinition = { agency: 'gent', key: 'register-new-resident', kind: 'caseworker', titles: { nl: 'Inschrijving' }, serviceNorm: { target: 'P5D' } };
/** A catalog where only gent offers register-new-resident; a role's reference resolves to it. */
const resolver: StepResolver = (ref) => (ref.key === 'register-new-resident' ? { status: 'published', definition: step } : undefined);
const lifeEvent = (ref: Record<string, unknown>, audience: 'citizen' | 'business' = 'citizen'): LifeEventDefinition => ({
  key: 'moving',
  audience,
  titles: { nl: 'Verhuizen' },
  nodes: [{ key: 'register', step: ref as unknown as StepReference }],
});

describe('agency roles', () => {
  it('the municipality role reads the address register and is answered by the municipality agency until routed', () => {
    expect(municipality).toMatchObject({ source: 'address-register', field: 'municipalityCode', agency: 'municipality' });
    expect(roleReference('municipality', 'register-new-resident')).toEqual({ agencyRole: 'municipality', agency: 'municipality', key: 'register-new-resident', version: 0 });
    expect(isRoleReference({ agency: 'gent', key: 'x', version: 1 })).toBe(false);
    expect(isRoleReference(roleReference('municipality', 'x'))).toBe(true);
  });

  it('checks what an agency serves: known roles, keys such as NIS codes', () => {
    expect(validateServes({ municipality: '44021' })).toEqual([]);
    expect(validateServes(undefined)).toEqual([]);
    expect(validateServes(['44021']).map((p) => p.path)).toEqual(['/serves']);
    expect(validateServes({ province: '40000' })).toEqual([{ path: '/serves/province', message: "unknown role 'province'; roles: municipality" }]);
    expect(validateServes({ municipality: 44021 }).map((p) => p.path)).toEqual(['/serves/municipality']);
    expect(validateServes({ municipality: 'Gent centrum!' }).map((p) => p.path)).toEqual(['/serves/municipality']);
  });

  it('a role reference names a known role, takes the latest version and no agency of its own', () => {
    expect(roleReferenceProblems({ agencyRole: 'municipality', agency: undefined as unknown as string, key: 'x', version: 0 }, '/step')).toEqual([]);
    expect(roleReferenceProblems({ agencyRole: 'province', agency: 'municipality', key: 'x', version: 0 }, '/step').map((p) => p.path)).toEqual(['/step/agencyRole']);
    expect(roleReferenceProblems({ agencyRole: 'municipality', agency: 'gent', key: 'x', version: 2 }, '/step').map((p) => p.path)).toEqual(['/step/agency', '/step/version']);
  });

  it('life events validate steps named by role against an agency that offers them', () => {
    expect(validateLifeEvent(lifeEvent({ agencyRole: 'municipality', key: 'register-new-resident', version: 0 }), resolver)).toEqual([]);
    expect(validateLifeEvent(lifeEvent({ agencyRole: 'municipality', key: 'no-such-step', version: 0 }), resolver)).toEqual([
      { path: '/nodes/0/step', message: "no agency serving role 'municipality' offers a published step 'no-such-step': publish it for at least one of them first" },
    ]);
    expect(validateLifeEvent(lifeEvent({ agencyRole: 'embassy', key: 'register-new-resident', version: 0 }), resolver).map((p) => p.path)).toEqual(['/nodes/0/step/agencyRole']);
    expect(validateLifeEvent(lifeEvent({ agencyRole: 'municipality', key: 'register-new-resident', version: 3 }), resolver).map((p) => p.path)).toEqual(['/nodes/0/step/version']);
  });

  it('explains the routing in four languages, with the source and the code', () => {
    const names = { nl: 'Gent', fr: 'Gand', de: 'Gent', en: 'Ghent' };
    expect(routingExplanation(municipality, names, '44021', { nl: 'Adressenregister', fr: "Registre d'adresses", de: 'Adressregister', en: 'Address register' })).toEqual({
      nl: 'toegewezen aan Gent (NIS 44021), volgens het adressenregister',
      fr: "confié à Gand (INS 44021), selon le registre d'adresses",
      de: 'zugewiesen an Gent (NIS 44021), laut dem Adressregister',
      en: 'routed to Ghent (NIS 44021), from the address register',
    });
  });

  it('says which municipality and which step when a step is not offered', () => {
    expect(notOfferedMessage(municipality, '21004', 'register-new-resident')).toBe(
      "No agency serves municipality NIS 21004 (from the address-register), so step 'register-new-resident' is not offered there; retry once that municipality is registered as an agency, or skip the step.",
    );
    expect(notOfferedMessage(municipality, '31043', 'register-new-resident', { code: 'knokke-heist', name: 'Knokke-Heist' })).toBe(
      "Knokke-Heist (NIS 31043, agency knokke-heist) does not offer step 'register-new-resident' yet; retry once it has published the step, or skip the step.",
    );
    expect(notOfferedMessage(municipality, undefined, 'register-new-resident')).toMatch(/holds no municipalityCode/);
  });
});
