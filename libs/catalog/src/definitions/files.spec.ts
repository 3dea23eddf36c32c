import * as path from 'node:path';
import { fileProblems, loadCatalogFiles, parseCatalogDocuments, type CatalogDocument } from './files';

const step = (extra: Record<string, unknown> = {}) => ({ key: 'open-account', kind: 'citizen', titles: { nl: 'Rekening openen' }, serviceNorm: { target: 'P14D' }, ...extra });
const parse = (documents: CatalogDocument[], env: Record<string, string> = {}) => parseCatalogDocuments('/catalog', documents, env);
const messages = (documents: CatalogDocument[], env?: Record<string, string>) => fileProblems(parse(documents, env)).map((p) => `${p.path} ${p.message}`);

describe('parseCatalogDocuments', () => {
  it('takes the agency of a step from its file name unless the step says otherwise', () => {
    const files = parse([{ file: 'steps/bank.yaml', kind: 'steps', content: [step(), step({ key: 'close-account', agency: 'other-bank' })] }]);
    expect(files.steps.map((s) => [s.source, s.value.agency, s.value.key])).toEqual([
      ['steps/bank.yaml#/0', 'bank', 'open-account'],
      ['steps/bank.yaml#/1', 'other-bank', 'close-account'],
    ]);
    expect(fileProblems(files)).toEqual([]);
  });

  it('accepts a single definition per file as well as a list, and ignores empty files', () => {
    const files = parse([
      { file: 'steps/bank.yaml', kind: 'steps', content: step() },
      { file: 'steps/empty.yaml', kind: 'steps', content: null },
      { file: 'life-events/x.yaml', kind: 'life-events', content: { key: 'x', audience: 'citizen', titles: { nl: 'X' }, nodes: [] } },
    ]);
    expect(files.steps.map((s) => s.source)).toEqual(['steps/bank.yaml#']);
    expect(files.lifeEvents.map((l) => l.source)).toEqual(['life-events/x.yaml#']);
  });

  it('replaces ${VARIABLES} in endpoints only', () => {
    const files = parse(
      [{ file: 'steps/finance.yaml', kind: 'steps', content: [step({ kind: 'automatic', endpoint: '${SANDBOX_URL}/agencies/finance/vat', titles: { nl: '${SANDBOX_URL}' } })] }],
      { SANDBOX_URL: 'http://127.0.0.1:4567' },
    );
    expect(files.steps[0].value.endpoint).toBe('http://127.0.0.1:4567/agencies/finance/vat');
    expect(files.steps[0].value.titles.nl).toBe('${SANDBOX_URL}');
  });

  it("replaces them in a compensation's endpoint too, and reports a missing one there once", () => {
    const undo = (endpoint: string) => [step({ kind: 'automatic', endpoint: '${SANDBOX_URL}/agencies/finance/vat', compensation: { endpoint } })];
    const files = parse([{ file: 'steps/finance.yaml', kind: 'steps', content: undo('${SANDBOX_URL}/agencies/finance/vat/compensate') }], { SANDBOX_URL: 'http://127.0.0.1:4567' });
    expect(files.steps[0].value.compensation).toEqual({ endpoint: 'http://127.0.0.1:4567/agencies/finance/vat/compensate' });
    expect(messages([{ file: 'steps/finance.yaml', kind: 'steps', content: undo('${CATALOG_UNDO_URL}/x') }], { SANDBOX_URL: 'http://127.0.0.1:4567' })).toEqual([
      'steps/finance.yaml#/0/compensation/endpoint ${CATALOG_UNDO_URL} has no value: set the environment variable CATALOG_UNDO_URL or write ${CATALOG_UNDO_URL:-default}',
    ]);
  });

  it('reports a variable without a value once, at the endpoint', () => {
    expect(messages([{ file: 'steps/finance.yaml', kind: 'steps', content: [step({ kind: 'automatic', endpoint: '${CATALOG_FINANCE_URL}/vat' })] }])).toEqual([
      'steps/finance.yaml#/0/endpoint ${CATALOG_FINANCE_URL} has no value: set the environment variable CATALOG_FINANCE_URL or write ${CATALOG_FINANCE_URL:-default}',
    ]);
  });

  it('refuses variables outside the catalog prefix (never the database URL or a secret)', () => {
    const env = { DATABASE_URL: 'postgres://levensloop:secret@db:5432/levensloop', SMS_CALLBACK_SECRET: 'sandbox-sms-secret' };
    const files = parse(
      [
        { file: 'agencies.yaml', kind: 'agencies', content: [{ code: 'bank', names: { nl: 'Bank' }, endpointHosts: ['${DATABASE_URL}'] }] },
        { file: 'steps/bank.yaml', kind: 'steps', content: [step({ kind: 'automatic', endpoint: 'https://bank.example/open?c=${DATABASE_URL}&s=${SMS_CALLBACK_SECRET:-x}' })] },
      ],
      env,
    );
    expect(fileProblems(files).map((p) => `${p.path} ${p.message}`)).toEqual([
      expect.stringMatching(/^agencies\.yaml#\/0\/endpointHosts\/0 \$\{DATABASE_URL\} may not be used: catalog files read only variables named CATALOG_\* and SANDBOX_URL, SANDBOX_HOST/),
      expect.stringMatching(/^steps\/bank\.yaml#\/0\/endpoint \$\{DATABASE_URL\} may not be used/),
      expect.stringMatching(/^steps\/bank\.yaml#\/0\/endpoint \$\{SMS_CALLBACK_SECRET\} may not be used/),
    ]);
    expect(JSON.stringify(files)).not.toContain('secret@db');
    expect(JSON.stringify(files)).not.toContain('sandbox-sms-secret');
  });

  it("reads an agency's endpoint hosts, with the sandbox's host derived from SANDBOX_URL", () => {
    const files = parse([{ file: 'agencies.yaml', kind: 'agencies', content: [{ code: 'bank', names: { nl: 'Bank' }, endpointHosts: ['${SANDBOX_HOST}', 'API.bank.example'] }, { code: 'other', names: { nl: 'Ander' } }] }], {
      SANDBOX_URL: 'http://127.0.0.1:4567',
    });
    expect(files.agencies.map((a) => a.value.endpointHosts)).toEqual([['127.0.0.1:4567', 'API.bank.example'], undefined]);
    expect(messages([{ file: 'agencies.yaml', kind: 'agencies', content: [{ code: 'bank', names: { nl: 'Bank' }, endpointHosts: ['https://bank.example/x'] }] }])).toEqual([
      expect.stringMatching(/^agencies\.yaml#\/0\/endpointHosts\/0 'https:\/\/bank\.example\/x' is not a host/),
    ]);
  });

  it('lists every problem of every file with its file and JSON pointer', () => {
    const found = messages([
      { file: 'agencies.yaml', kind: 'agencies', content: [{ code: 'Bank!', names: { en: 'Bank' } }, { code: 'bank', names: { nl: 'Bank' }, website: 'x' }] },
      { file: 'steps/bank.yaml', kind: 'steps', content: [step({ serviceNorm: { target: 'two weeks', wran: 'P1D' } })] },
      {
        file: 'life-events/x.yaml',
        kind: 'life-events',
        content: { key: 'x', audience: 'citizen', titles: { nl: 'X' }, nodes: [{ key: 'a', step: { agency: 'bank', key: 'open-account', version: 'newest' }, optinal: true }] },
      },
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^agencies\.yaml#\/0\/code /),
        'agencies.yaml#/0/names/nl a Dutch (nl) title is required',
        expect.stringMatching(/^agencies\.yaml#\/1\/website unknown field 'website'/),
        expect.stringMatching(/^steps\/bank\.yaml#\/0\/serviceNorm\/wran unknown field 'wran'/),
        expect.stringMatching(/^steps\/bank\.yaml#\/0\/serviceNorm\/target .*two weeks/),
        expect.stringMatching(/^life-events\/x\.yaml#\/nodes\/0\/optinal unknown field 'optinal'; known fields here: key, step, dependsOn, condition, optional/),
        `life-events/x.yaml#/nodes/0/step version must be a version number or "latest" (got 'newest')`,
      ]),
    );
    expect(found).toHaveLength(7);
  });

  it('refuses a definition given twice, pointing at the first one', () => {
    const found = messages([
      { file: 'steps/bank.yaml', kind: 'steps', content: [step()] },
      { file: 'steps/more.yaml', kind: 'steps', content: [step({ agency: 'bank' })] },
      { file: 'agencies.yaml', kind: 'agencies', content: [{ code: 'bank', names: { nl: 'Bank' } }, { code: 'bank', names: { nl: 'Bank' } }] },
    ]);
    expect(found).toEqual([
      "agencies.yaml#/1 agency 'bank' is defined twice (also at agencies.yaml#/0); keep one definition",
      'steps/more.yaml#/0 step bank/open-account is defined twice (also at steps/bank.yaml#/0); keep one definition',
    ]);
  });

  it('wants a list of agencies and objects as entries', () => {
    expect(messages([{ file: 'agencies.yaml', kind: 'agencies', content: { code: 'bank' } }])).toEqual(['agencies.yaml must be a list of agencies: - { code: …, names: { nl: … } }']);
    expect(messages([{ file: 'steps/bank.yaml', kind: 'steps', content: ['open-account'] }])).toEqual(["steps/bank.yaml#/0 must be an object (got 'open-account')"]);
  });
});

describe('data requirements, decision rules and triggers in files', () => {
  const requirement = { source: 'address-register', field: 'region', purpose: { nl: 'Woonplaats nagaan' }, legalBasis: { type: 'law', reference: 'Decreet Groeipakket, art. 7' } };
  const rule = {
    id: 'birth-grant',
    version: 1,
    branches: [{ when: { '==': [{ var: 'fields.address-register.region' }, 'flanders'] }, outcome: 'grant', explanation: { nl: 'Toegekend' } }],
    otherwise: { outcome: 'refer', explanation: { nl: 'Een medewerker beslist' } },
  };
  const decision = (extra: Record<string, unknown> = {}) => step({ key: 'birth-grant', kind: 'decision', dataRequirements: [requirement], rule, ...extra });

  it('are accepted and kept', () => {
    const files = parse([{ file: 'steps/growth-package.yaml', kind: 'steps', content: [decision()] }]);
    expect(fileProblems(files)).toEqual([]);
    expect(files.steps[0].value).toMatchObject({ agency: 'growth-package', dataRequirements: [requirement], rule });
  });

  it('are checked against the source catalog, with problems pointing into the file', () => {
    expect(messages([{ file: 'steps/growth-package.yaml', kind: 'steps', content: [decision({ dataRequirements: [requirement, { ...requirement, field: 'province' }] })] }])).toEqual([
      expect.stringMatching(/^steps\/growth-package\.yaml#\/0\/dataRequirements\/1\/field source 'address-register' has no field 'province'/),
    ]);
  });

  it('report unknown fields at every level', () => {
    const found = messages([
      {
        file: 'steps/growth-package.yaml',
        kind: 'steps',
        content: [
          decision({
            dataRequirements: [{ ...requirement, purpse: 'x', legalBasis: { ...requirement.legalBasis, article: 7 } }],
            rule: { ...rule, name: 'x', branches: [{ ...rule.branches[0], outcom: 'grant' }], otherwise: { ...rule.otherwise, when: true } },
          }),
        ],
      },
      {
        file: 'life-events/birth.yaml',
        kind: 'life-events',
        content: {
          key: 'birth',
          audience: 'citizen',
          titles: { nl: 'Geboorte' },
          nodes: [],
          triggers: [{ eventType: 'be.birth.registered', subject: { type: 'person', path: 'child.id', kind: 'x' }, mandates: { path: 'parents', kind: 'parent', until: 'P18Y' }, once: true }],
        },
      },
    ]).map((m) => m.replace(/; known fields here.*/, ''));
    expect(found).toEqual([
      "steps/growth-package.yaml#/0/dataRequirements/0/purpse unknown field 'purpse'",
      "steps/growth-package.yaml#/0/dataRequirements/0/legalBasis/article unknown field 'article'",
      "steps/growth-package.yaml#/0/rule/name unknown field 'name'",
      "steps/growth-package.yaml#/0/rule/branches/0/outcom unknown field 'outcom'",
      "steps/growth-package.yaml#/0/rule/otherwise/when unknown field 'when'",
      "life-events/birth.yaml#/triggers/0/once unknown field 'once'",
      "life-events/birth.yaml#/triggers/0/subject/kind unknown field 'kind'",
      "life-events/birth.yaml#/triggers/0/mandates/until unknown field 'until'",
    ]);
  });
});

describe('loadCatalogFiles', () => {
  it('reads the example catalog in infra/catalog without problems', () => {
    const files = loadCatalogFiles(path.join(__dirname, '../../../../infra/catalog'), {});
    expect(fileProblems(files)).toEqual([]);
    expect(files.agencies.map((a) => a.value.code)).toEqual(expect.arrayContaining(['enterprise-counter', 'federal-finance', 'municipality']));
    expect(files.steps.every((s) => !s.value.endpoint || s.value.endpoint.startsWith('http://127.0.0.1:3100/agencies/'))).toBe(true);
    expect(files.lifeEvents.map((l) => l.value.key)).toEqual(expect.arrayContaining(['starting-a-business']));
  });

  it('refuses a directory that does not exist', () => {
    expect(() => loadCatalogFiles('/no/such/catalog')).toThrow(/does not exist/);
  });
});
