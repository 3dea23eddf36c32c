/** Whole request bodies for the OpenAPI document: a task step, a decision step, a proactive life event. */

const caseworkerStep = {
  key: 'register-child',
  kind: 'caseworker',
  titles: { nl: 'Kind inschrijven bij het ziekenfonds', en: 'Register the child with the health insurer' },
  serviceNorm: { target: 'P10D', warn: 'P7D', escalate: 'P14D' },
  dataRequirements: [
    {
      source: 'national-register',
      field: 'family.parents',
      purpose: { nl: 'Het kind inschrijven bij het ziekenfonds van een ouder', en: "Register the child with a parent's health insurer" },
      legalBasis: { type: 'law', reference: 'Wet betreffende de verplichte verzekering voor geneeskundige verzorging, 14 juli 1994, art. 32' },
    },
  ],
};

const decisionStep = {
  key: 'birth-grant',
  kind: 'decision',
  titles: { nl: 'Startbedrag bij de geboorte', en: 'Birth grant' },
  serviceNorm: { target: 'P10D', warn: 'P5D' },
  dataRequirements: [
    {
      source: 'national-register',
      field: 'birthDate',
      purpose: { nl: 'Het recht op het startbedrag vaststellen', en: 'Establish the right to the birth grant' },
      legalBasis: { type: 'law', reference: 'Decreet Groeipakket 27 april 2018, art. 8' },
    },
    {
      source: 'address-register',
      field: 'region',
      purpose: { nl: 'Nagaan of het kind in het Vlaamse Gewest woont', en: 'Check that the child lives in the Flemish Region' },
      legalBasis: { type: 'law', reference: 'Decreet Groeipakket 27 april 2018, art. 7' },
    },
  ],
  rule: {
    id: 'birth-grant',
    version: 1,
    branches: [
      {
        when: { '==': [{ var: 'fields.address-register.region' }, 'flanders'] },
        outcome: 'grant',
        explanation: { nl: 'U krijgt het startbedrag voor uw kind, geboren op {fields.national-register.birthDate}.', en: 'You receive the birth grant for your child, born on {fields.national-register.birthDate}.' },
      },
      {
        when: { in: [{ var: 'fields.address-register.region' }, ['brussels', 'wallonia']] },
        outcome: 'deny',
        explanation: { nl: 'Het kind woont in {fields.address-register.region}: het gezinsbijslagfonds van dat gewest betaalt.', en: 'The child lives in {fields.address-register.region}: that region’s fund pays.' },
      },
    ],
    otherwise: { outcome: 'refer', explanation: { nl: 'Een medewerker bekijkt uw dossier.', en: 'A caseworker will look at your file.' } },
  },
};

export const STEP_EXAMPLES = {
  caseworker: { summary: 'A caseworker step that reads the national register', value: caseworkerStep },
  decision: { summary: 'A decision step: a versioned rule over declared fields', value: decisionStep },
};

export const LIFE_EVENT_EXAMPLES = {
  proactive: {
    summary: 'Started by a birth registered in the national register',
    value: {
      key: 'birth-of-a-child',
      audience: 'citizen',
      titles: { nl: 'Geboorte van een kind', en: 'Birth of a child' },
      triggers: [
        {
          eventType: 'be.national-register.birth.registered',
          subject: { type: 'person', path: 'child.nationalNumber' },
          data: { birthDate: 'child.birthDate' },
          mandates: { path: 'parents', kind: 'parent' },
        },
      ],
      nodes: [
        { key: 'birth-grant', step: { agency: 'growth-package', key: 'birth-grant', version: 1 }, optional: true },
        { key: 'health-insurer', step: { agency: 'health-insurer', key: 'register-child', version: 1 } },
      ],
    },
  },
};
