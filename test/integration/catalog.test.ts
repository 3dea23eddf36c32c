/**
 * The catalog on a real PostgreSQL (a fresh database for this file): versions and their
 * lifecycle, immutability, validation that writes nothing, snapshots for journeys, definitions
 * as code; and the HTTP API through the real Nest module, auth guard and problem filter.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Module, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CatalogError, CatalogService, loadCatalogFiles, type ApplySummary } from '@levensloop/catalog';
import { readTokenChecks, type LevensloopConfig } from '@levensloop/config';
import type { DataRequirement, DecisionRule, LifeEventDefinition, LifeEventTrigger, ServiceStepDefinition } from '@levensloop/domain';
import { createDataSource, dataSourceOptions } from '@levensloop/persistence';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src/app';
import { AuthGuard } from '../../apps/gateway/src/auth/auth.guard';
import { CatalogModule } from '../../apps/gateway/src/catalog/catalog.module';
import { ProblemDetailsFilter } from '../../apps/gateway/src/common/problem.filter';
import { createValidationPipe } from '../../apps/gateway/src/common/validation';
import { ConfigModule } from '../../apps/gateway/src/config.module';
import { createTestDatabase } from '../support/database';
import { Api, expectProblem } from '../support/http';

jest.setTimeout(60_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let catalog: CatalogService;
const exampleCatalog = path.join(__dirname, '..', '..', 'infra', 'catalog');
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
  tempDirs.push(dir);
  return dir;
};

beforeAll(async () => {
  db = await createTestDatabase('it_catalog');
  ds = createDataSource(db.url);
  await ds.initialize();
  catalog = new CatalogService(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const counts = async () =>
  (await ds.query(`SELECT (SELECT count(*) FROM agencies)::int a, (SELECT count(*) FROM service_steps)::int s, (SELECT count(*) FROM life_events)::int l`))[0];

const citizenStep = (agency: string, key: string, extra: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
  agency,
  key,
  kind: 'citizen',
  titles: { nl: `Stap ${key}`, en: `Step ${key}` },
  serviceNorm: { target: 'P5D', warn: 'P3D', escalate: 'P10D' },
  ...extra,
});

async function publishedStep(agency: string, key: string, extra: Partial<ServiceStepDefinition> = {}) {
  const draft = await catalog.createStepDraft(agency, citizenStep(agency, key, extra));
  return catalog.publishStep(agency, key, draft.version);
}

const refusal = (promise: Promise<unknown>) => promise.then(() => Promise.reject(new Error('expected a refusal')), (err: unknown) => err as CatalogError);

describe('agencies', () => {
  test('are created once, listed and fetched; invalid ones are refused with every problem', async () => {
    const created = await catalog.createAgency('agency-one', { nl: 'Agentschap één', fr: 'Agence un' });
    expect(created).toMatchObject({ code: 'agency-one', names: { nl: 'Agentschap één', fr: 'Agence un' } });
    expect(await refusal(catalog.createAgency('agency-one', { nl: 'Nog eens' }))).toMatchObject({ kind: 'conflict' });
    const invalid = await refusal(catalog.createAgency('Agency One', { en: 'No Dutch' } as never));
    expect(invalid.kind).toBe('invalid');
    expect(invalid.problems.map((p) => p.path).sort()).toEqual(['/code', '/names/nl']);
    expect((await catalog.listAgencies()).map((a) => a.code)).toContain('agency-one');
    expect(await refusal(catalog.getAgency('nobody'))).toMatchObject({ kind: 'not_found' });
  });
});

describe('service steps', () => {
  beforeAll(() => catalog.createAgency('lifecycle', { nl: 'Levenscyclus' }));

  test('draft → published → retired; drafts change, published versions do not', async () => {
    const draft = await catalog.createStepDraft('lifecycle', citizenStep('lifecycle', 'step'));
    expect(draft).toMatchObject({ version: 1, status: 'draft', publishedAt: null });
    const changed = await catalog.updateStepDraft('lifecycle', 'step', 1, citizenStep('lifecycle', 'step', { titles: { nl: 'Gewijzigd' } }));
    expect(changed.titles).toEqual({ nl: 'Gewijzigd' });

    expect(await refusal(catalog.retireStep('lifecycle', 'step', 1))).toMatchObject({ kind: 'conflict' });
    const published = await catalog.publishStep('lifecycle', 'step', 1);
    expect(published.status).toBe('published');
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect((await catalog.publishStep('lifecycle', 'step', 1)).publishedAt).toEqual(published.publishedAt); // a retry changes nothing

    const immutable = await refusal(catalog.updateStepDraft('lifecycle', 'step', 1, citizenStep('lifecycle', 'step', { titles: { nl: 'Te laat' } })));
    expect(immutable.kind).toBe('conflict');
    expect(immutable.message).toMatch(/immutable once published/);
    expect((await catalog.getStep('lifecycle', 'step', 1)).titles).toEqual({ nl: 'Gewijzigd' });

    const next = await catalog.createStepDraft('lifecycle', citizenStep('lifecycle', 'step', { serviceNorm: { target: 'P2D' } }));
    expect(next.version).toBe(2);
    expect((await catalog.retireStep('lifecycle', 'step', 1)).status).toBe('retired');
    expect(await refusal(catalog.publishStep('lifecycle', 'step', 1))).toMatchObject({ kind: 'conflict' });
    expect(await refusal(catalog.updateStepDraft('lifecycle', 'step', 1, citizenStep('lifecycle', 'step')))).toMatchObject({ kind: 'conflict' });

    expect((await catalog.listStepVersions('lifecycle', 'step')).map((v) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'draft'],
    ]);
    expect((await catalog.listSteps('lifecycle')).map((s) => [s.key, s.version])).toEqual([['step', 2]]);
    expect((await catalog.listSteps()).some((s) => s.agency === 'lifecycle' && s.version === 2)).toBe(true);
  });

  test('concurrent drafts get distinct versions', async () => {
    const drafts = await Promise.all(Array.from({ length: 8 }, () => catalog.createStepDraft('lifecycle', citizenStep('lifecycle', 'raced'))));
    expect(drafts.map((d) => d.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('an invalid step, an unknown agency or another agency in the body: refused, nothing written', async () => {
    const before = await counts();
    const invalid = await refusal(
      catalog.createStepDraft('lifecycle', {
        agency: 'someone-else',
        key: 'Bad Key',
        kind: 'automatic',
        titles: { en: 'No Dutch' } as never,
        serviceNorm: { target: 'five days', warn: 'P10D', escalate: 'P5D' },
      }),
    );
    expect(invalid.kind).toBe('invalid');
    expect(invalid.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/agency', '/key', '/titles/nl', '/endpoint', '/serviceNorm/target', '/serviceNorm/warn']));
    expect(await refusal(catalog.createStepDraft('nobody', citizenStep('nobody', 'x')))).toMatchObject({ kind: 'not_found' });
    expect(await refusal(catalog.updateStepDraft('lifecycle', 'step', 99, citizenStep('lifecycle', 'step')))).toMatchObject({ kind: 'not_found' });
    expect(await counts()).toEqual(before);
  });
});

describe('life events', () => {
  const ref = (key: string, version = 1) => ({ agency: 'events', key, version });
  const lifeEvent = (key: string, nodes: LifeEventDefinition['nodes']): LifeEventDefinition => ({ key, audience: 'citizen', titles: { nl: `Gebeurtenis ${key}` }, nodes });

  beforeAll(async () => {
    await catalog.createAgency('events', { nl: 'Gebeurtenissen' });
    await publishedStep('events', 'first');
    await publishedStep('events', 'second');
    await catalog.createStepDraft('events', citizenStep('events', 'draft-only'));
  });

  test('all validation problems are listed together and nothing is written', async () => {
    const before = await counts();
    const error = await refusal(
      catalog.createLifeEventDraft(
        lifeEvent('broken', [
          { key: 'a', step: ref('first'), dependsOn: ['c'] },
          { key: 'b', step: ref('second'), dependsOn: ['a'] },
          { key: 'c', step: ref('first'), dependsOn: ['b'] },
          { key: 'd', step: ref('does-not-exist') },
          { key: 'e', step: ref('draft-only'), condition: { frobnicate: [1, 2] } },
          { key: 'e', step: ref('first'), dependsOn: ['nowhere'] },
        ]),
      ),
    );
    expect(error.kind).toBe('invalid');
    const text = error.problems.map((p) => `${p.path} ${p.message}`).join('\n');
    expect(text).toMatch(/\/nodes\/0\/dependsOn dependency cycle/);
    expect(text).toMatch(/\/nodes\/3\/step unknown step events\/does-not-exist/);
    expect(text).toMatch(/\/nodes\/4\/step step events\/draft-only version 1 is draft/);
    expect(text).toMatch(/\/nodes\/4\/condition.*frobnicate/);
    expect(text).toMatch(/\/nodes\/5\/key duplicate/);
    expect(text).toMatch(/\/nodes\/5\/dependsOn\/0 depends on unknown step 'nowhere'/);
    expect(await counts()).toEqual(before);
  });

  test('a retired step cannot be used by a new life event, nor by a draft being published; a published life event stays valid', async () => {
    await publishedStep('events', 'fading');
    const published = await catalog.createLifeEventDraft(lifeEvent('uses-fading', [{ key: 'a', step: ref('fading') }]));
    await catalog.publishLifeEvent('uses-fading', published.version);
    const draft = await catalog.createLifeEventDraft(lifeEvent('uses-fading', [{ key: 'a', step: ref('fading') }, { key: 'b', step: ref('first'), dependsOn: ['a'] }]));
    expect(draft.version).toBe(2);

    await catalog.retireStep('events', 'fading', 1);
    const refused = await refusal(catalog.createLifeEventDraft(lifeEvent('new-fading', [{ key: 'a', step: ref('fading') }])));
    expect(refused.problems).toEqual([{ path: '/nodes/0/step', message: expect.stringMatching(/retired: only published steps can be used/) }]);
    const notPublished = await refusal(catalog.publishLifeEvent('uses-fading', 2));
    expect(notPublished.kind).toBe('invalid');
    expect((await catalog.getLifeEvent('uses-fading', 2)).status).toBe('draft');

    // Version 1 still starts journeys, with the retired step's definition pinned in.
    const snapshot = await catalog.resolveSnapshot('uses-fading');
    expect(snapshot.version).toBe(1);
    expect(snapshot.nodes[0].definition).toMatchObject({ agency: 'events', key: 'fading', version: 1, kind: 'citizen' });
  });

  test('lifecycle, immutability and snapshots of a chosen or the latest published version', async () => {
    const v1 = await catalog.createLifeEventDraft(lifeEvent('moving', [{ key: 'a', step: ref('first') }]));
    const updated = await catalog.updateLifeEventDraft('moving', v1.version, lifeEvent('moving', [{ key: 'a', step: ref('first') }, { key: 'b', step: ref('second'), dependsOn: ['a'], optional: true }]));
    expect(updated.nodes.map((n) => n.key)).toEqual(['a', 'b']);
    expect(await refusal(catalog.resolveSnapshot('moving'))).toMatchObject({ kind: 'not_found' });
    await catalog.publishLifeEvent('moving', 1);
    expect(await refusal(catalog.updateLifeEventDraft('moving', 1, lifeEvent('moving', [{ key: 'a', step: ref('first') }])))).toMatchObject({ kind: 'conflict' });
    const keyChange = await refusal(catalog.updateLifeEventDraft('moving', 1, lifeEvent('other', [])));
    expect(keyChange.kind).toBe('conflict'); // immutability is checked first

    const v2 = await catalog.createLifeEventDraft(lifeEvent('moving', [{ key: 'only', step: ref('second') }]));
    await catalog.publishLifeEvent('moving', v2.version);
    expect((await catalog.resolveSnapshot('moving')).version).toBe(2);
    const pinned = await catalog.resolveSnapshot('moving', 1);
    expect(pinned).toMatchObject({ key: 'moving', version: 1, audience: 'citizen', titles: { nl: 'Gebeurtenis moving' } });
    expect(pinned.nodes).toEqual([
      { key: 'a', step: ref('first'), definition: { ...citizenStep('events', 'first'), version: 1 } },
      { key: 'b', step: ref('second'), dependsOn: ['a'], optional: true, definition: { ...citizenStep('events', 'second'), version: 1 } },
    ]);

    await catalog.retireLifeEvent('moving', 1);
    expect(await refusal(catalog.resolveSnapshot('moving', 1))).toMatchObject({ kind: 'not_found', message: expect.stringMatching(/retired/) });
    expect(await refusal(catalog.resolveSnapshot('moving', 9))).toMatchObject({ kind: 'not_found' });
    expect((await catalog.listLifeEventVersions('moving')).map((v) => v.status)).toEqual(['retired', 'published']);
    expect((await catalog.listLifeEvents()).find((l) => l.key === 'moving')?.version).toBe(2);
  });
});

describe('data requirements, decision rules and triggers', () => {
  const requirement = (source: string, field: string): DataRequirement => ({
    source,
    field,
    purpose: { nl: `${field} nagaan`, en: `Check ${field}` },
    legalBasis: { type: 'law', reference: 'Decreet Groeipakket 27 april 2018, art. 8' },
  });
  const rule = (over: Partial<DecisionRule> = {}): DecisionRule => ({
    id: 'birth-grant',
    version: 1,
    branches: [
      { when: { '==': [{ var: 'fields.address-register.region' }, 'flanders'] }, outcome: 'grant', explanation: { nl: 'Toegekend: u woont in {fields.address-register.region}.' } },
      { when: { in: [{ var: 'fields.address-register.region' }, ['brussels', 'wallonia']] }, outcome: 'deny', explanation: { nl: 'Niet in Vlaanderen.' } },
    ],
    otherwise: { outcome: 'refer', explanation: { nl: 'Een medewerker beslist.' } },
    ...over,
  });
  const decisionStep = (agency: string, key: string, over: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
    agency,
    key,
    kind: 'decision',
    titles: { nl: 'Startbedrag', en: 'Birth grant' },
    serviceNorm: { target: 'P10D', warn: 'P5D' },
    dataRequirements: [requirement('national-register', 'birthDate'), requirement('address-register', 'region')],
    rule: rule(),
    ...over,
  });
  const publish = async (def: ServiceStepDefinition) => {
    const draft = await catalog.createStepDraft(def.agency, def);
    return catalog.publishStep(def.agency, def.key, draft.version);
  };

  beforeAll(async () => {
    await catalog.createAgency('payments', { nl: 'Uitbetalingsactor' });
    await catalog.createAgency('other-payments', { nl: 'Andere uitbetaler' });
  });

  test('a step with data requirements and a decision step are published with everything kept', async () => {
    const insurer = await publish(citizenStep('payments', 'register-child', { kind: 'caseworker', dataRequirements: [requirement('national-register', 'family.parents'), requirement('national-register', 'address.postalCode')] }));
    expect(insurer.dataRequirements).toEqual([requirement('national-register', 'family.parents'), requirement('national-register', 'address.postalCode')]);

    const draft = await catalog.createStepDraft('payments', decisionStep('payments', 'birth-grant'));
    expect(draft).toMatchObject({ status: 'draft', kind: 'decision', rule: rule(), dataRequirements: decisionStep('payments', 'birth-grant').dataRequirements });
    const published = await catalog.publishStep('payments', 'birth-grant', draft.version);
    const { version: _v, status: _s, createdAt: _c, publishedAt: _p, retiredAt: _r, ...stored } = await catalog.getStep('payments', 'birth-grant', published.version);
    expect(stored).toEqual(decisionStep('payments', 'birth-grant'));
  });

  test('an unknown source or field is refused with a pointer at it, and nothing is written', async () => {
    const before = await counts();
    const error = await refusal(
      catalog.createStepDraft(
        'payments',
        decisionStep('payments', 'unknown-data', {
          dataRequirements: [requirement('tax-register', 'income'), requirement('national-register', 'shoeSize'), { ...requirement('address-register', 'region'), legalBasis: undefined as never }],
        }),
      ),
    );
    expect(error.kind).toBe('invalid');
    expect(error.problems).toEqual(
      expect.arrayContaining([
        { path: '/dataRequirements/0/source', message: expect.stringMatching(/^unknown source 'tax-register'; known sources: address-register, enterprise-register, national-register/) },
        { path: '/dataRequirements/1/field', message: expect.stringMatching(/^source 'national-register' has no field 'shoeSize'; its fields are address, /) },
        { path: '/dataRequirements/2/legalBasis', message: expect.stringMatching(/a legal basis is required/) },
      ]),
    );
    // The rule reads a field the step does not declare: reported in the same answer.
    const renamed = await refusal(catalog.createStepDraft('payments', decisionStep('payments', 'unknown-data', { dataRequirements: [requirement('address-register', 'regio')] })));
    expect(renamed.problems.map((p) => p.path)).toEqual(['/rule/branches/0/when', '/rule/branches/0/explanation/nl', '/rule/branches/1/when', '/dataRequirements/0/field']);
    expect(await counts()).toEqual(before);
  });

  test('a rule id+version means one rule within an agency', async () => {
    await publish(decisionStep('payments', 'grant-a', { rule: rule({ id: 'one-rule' }) }));
    // The same rule in another step of the agency, and another rule under that id in another agency: fine.
    await publish(decisionStep('payments', 'grant-b', { rule: rule({ id: 'one-rule' }) }));
    const changed = rule({ id: 'one-rule', otherwise: { outcome: 'deny', explanation: { nl: 'Geweigerd.' } } });
    await publish(decisionStep('other-payments', 'grant-a', { rule: changed }));

    const before = await counts();
    const refused = await refusal(catalog.createStepDraft('payments', decisionStep('payments', 'grant-c', { rule: changed })));
    expect(refused.kind).toBe('invalid');
    expect(refused.problems).toEqual([
      {
        path: '/rule/version',
        message: "rule 'one-rule' version 1 already exists with other content (step payments/grant-a version 1, published); a changed rule is a new rule version: use version 2, or keep the rule exactly as published",
      },
    ]);
    // Also for a new version of the same step, and when the other step is retired.
    await catalog.retireStep('payments', 'grant-b', 1);
    expect((await refusal(catalog.createStepDraft('payments', decisionStep('payments', 'grant-a', { rule: changed })))).problems.map((p) => p.path)).toEqual(['/rule/version']);
    expect(await counts()).toEqual(before);
    expect((await publish(decisionStep('payments', 'grant-c', { rule: { ...changed, version: 2 } }))).rule?.version).toBe(2);

    // A draft saved before the other publication is refused when it is published, and stays a draft.
    const early = await catalog.createStepDraft('payments', decisionStep('payments', 'grant-d', { rule: rule({ id: 'raced-rule' }) }));
    await publish(decisionStep('payments', 'grant-e', { rule: rule({ id: 'raced-rule', branches: [rule().branches[0]] }) }));
    const late = await refusal(catalog.publishStep('payments', 'grant-d', early.version));
    expect(late).toMatchObject({ kind: 'invalid', problems: [{ path: '/rule/version', message: expect.stringMatching(/step payments\/grant-e version 1/) }] });
    expect((await catalog.getStep('payments', 'grant-d', early.version)).status).toBe('draft');
  });

  test('two steps publishing different rules under one id+version at once: exactly one wins', async () => {
    const drafts = await Promise.all(
      ['race-a', 'race-b', 'race-c'].map((key, i) =>
        catalog.createStepDraft('payments', decisionStep('payments', key, { rule: rule({ id: 'contested', otherwise: { outcome: 'refer', explanation: { nl: `Variant ${i}` } } }) })),
      ),
    );
    const results = await Promise.allSettled(drafts.map((d) => catalog.publishStep('payments', d.key, d.version)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ kind: 'invalid', problems: [{ path: '/rule/version' }] });
  });

  test('a life event with triggers: stored, and its snapshot carries the triggers, data requirements and rules', async () => {
    await publish(decisionStep('payments', 'snapshot-grant', { rule: rule({ id: 'snapshot-rule' }) }));
    await publish(citizenStep('payments', 'snapshot-visit', { dataRequirements: [requirement('national-register', 'contact.phone')] }));
    const triggers: LifeEventTrigger[] = [
      {
        eventType: 'be.national-register.birth.registered',
        subject: { type: 'person', path: 'child.nationalNumber' },
        condition: { '==': [{ var: 'event.data.child.bornAlive' }, true] },
        data: { birthDate: 'child.birthDate' },
        mandates: { path: 'parents', kind: 'parent' },
      },
    ];
    const def: LifeEventDefinition = {
      key: 'proactive-birth',
      audience: 'citizen',
      titles: { nl: 'Geboorte van een kind' },
      triggers,
      nodes: [
        { key: 'grant', step: { agency: 'payments', key: 'snapshot-grant', version: 1 } },
        { key: 'visit', step: { agency: 'payments', key: 'snapshot-visit', version: 1 }, dependsOn: ['grant'] },
      ],
    };
    const draft = await catalog.createLifeEventDraft(def);
    expect(draft.triggers).toEqual(triggers);
    await catalog.publishLifeEvent(def.key, draft.version);

    const snapshot = await catalog.resolveSnapshot(def.key);
    expect(snapshot.triggers).toEqual(triggers);
    expect(snapshot.nodes[0].definition).toEqual({ ...decisionStep('payments', 'snapshot-grant', { rule: rule({ id: 'snapshot-rule' }) }), version: 1 });
    expect(snapshot.nodes[1].definition.dataRequirements).toEqual([requirement('national-register', 'contact.phone')]);

    // A business life event cannot start for a person, nor use a step that reads the person register.
    const business = await refusal(catalog.createLifeEventDraft({ ...def, key: 'business-birth', audience: 'business' }));
    expect(business.problems.map((p) => p.path).sort()).toEqual(['/nodes/0/step', '/nodes/1/step', '/triggers/0/subject/type']);
    expect(business.problems.find((p) => p.path === '/nodes/1/step')?.message).toMatch(/'national-register\/contact\.phone' is about a person, not an enterprise/);
    const badTrigger = await refusal(catalog.createLifeEventDraft({ ...def, key: 'bad-trigger', triggers: [{ ...triggers[0], eventType: 'Birth', condition: { '==': [{ var: 'data.x' }, 1] } }] }));
    expect(badTrigger.problems.map((p) => p.path)).toEqual(['/triggers/0/eventType', '/triggers/0/condition/==/0/var']);
  });

  test('definitions as code: data requirements, rules and triggers in YAML, with problems pointing into the files', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'steps'));
    fs.mkdirSync(path.join(dir, 'life-events'));
    fs.writeFileSync(path.join(dir, 'agencies.yaml'), '- { code: yaml-payments, names: { nl: Uitbetaler } }\n');
    const stepYaml = (field: string) =>
      [
        '- key: yaml-grant',
        '  kind: decision',
        '  titles: { nl: Startbedrag }',
        '  serviceNorm: { target: P10D }',
        '  dataRequirements:',
        '    - source: address-register',
        `      field: ${field}`,
        '      purpose: { nl: Woonplaats nagaan, en: Check where the child lives }',
        '      legalBasis: { type: law, reference: "Decreet Groeipakket, art. 7" }',
        '  rule:',
        '    id: yaml-grant',
        '    version: 1',
        '    branches:',
        '      - when: { "==": [{ var: fields.address-register.region }, flanders] }',
        '        outcome: grant',
        '        explanation: { nl: "Toegekend: {fields.address-register.region}" }',
        '    otherwise: { outcome: refer, explanation: { nl: Een medewerker beslist } }',
      ].join('\n');
    fs.writeFileSync(path.join(dir, 'steps', 'yaml-payments.yaml'), stepYaml('region'));
    fs.writeFileSync(
      path.join(dir, 'life-events', 'yaml-birth.yaml'),
      [
        'key: yaml-birth',
        'audience: citizen',
        'titles: { nl: Geboorte }',
        'triggers:',
        '  - eventType: be.national-register.birth.registered',
        '    subject: { type: person, path: child.nationalNumber }',
        '    data: { birthDate: child.birthDate }',
        '    mandates: { path: parents, kind: parent }',
        'nodes:',
        '  - { key: grant, step: { agency: yaml-payments, key: yaml-grant, version: latest } }',
      ].join('\n'),
    );
    const first = await catalog.applyDefinitions(dir, { env: {} });
    expect(first.lifeEvents.created).toEqual(['yaml-birth@1']);
    const snapshot = await catalog.resolveSnapshot('yaml-birth');
    expect(snapshot.triggers).toEqual([{ eventType: 'be.national-register.birth.registered', subject: { type: 'person', path: 'child.nationalNumber' }, data: { birthDate: 'child.birthDate' }, mandates: { path: 'parents', kind: 'parent' } }]);
    expect(snapshot.nodes[0].definition.rule?.branches[0].when).toEqual({ '==': [{ var: 'fields.address-register.region' }, 'flanders'] });
    expect(snapshot.nodes[0].definition.dataRequirements?.[0].legalBasis).toEqual({ type: 'law', reference: 'Decreet Groeipakket, art. 7' });
    const again = await catalog.applyDefinitions(dir, { env: {} });
    expect([...again.steps.created, ...again.lifeEvents.created]).toEqual([]);

    fs.writeFileSync(path.join(dir, 'steps', 'yaml-payments.yaml'), stepYaml('province'));
    fs.writeFileSync(
      path.join(dir, 'life-events', 'yaml-birth.yaml'),
      fs.readFileSync(path.join(dir, 'life-events', 'yaml-birth.yaml'), 'utf8').replace('type: person', 'type: enterprise'),
    );
    const before = await counts();
    const error = await refusal(catalog.applyDefinitions(dir, { env: {} }));
    expect(error.problems.map((p) => `${p.path} ${p.message}`)).toEqual([
      expect.stringMatching(/^steps\/yaml-payments\.yaml#\/0\/rule\/branches\/0\/when the rule reads fields\.address-register\.region, but the step does not declare/),
      expect.stringMatching(/^steps\/yaml-payments\.yaml#\/0\/rule\/branches\/0\/explanation\/nl the placeholder/),
      expect.stringMatching(/^steps\/yaml-payments\.yaml#\/0\/dataRequirements\/0\/field source 'address-register' has no field 'province'/),
      expect.stringMatching(/^life-events\/yaml-birth\.yaml#\/triggers\/0\/subject\/type a citizen life event runs for a person/),
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe('definitions as code', () => {
  const copyExample = () => {
    const dir = tempDir();
    fs.cpSync(exampleCatalog, dir, { recursive: true });
    return dir;
  };
  const env = { SANDBOX_URL: 'http://127.0.0.1:3999' };
  const created = (s: ApplySummary) => [...s.agencies.created, ...s.steps.created, ...s.lifeEvents.created];

  // The example catalog grows: count what its files define rather than fixing numbers here.
  const example = loadCatalogFiles(exampleCatalog, env);

  test('the example catalog applies; applying it again creates nothing', async () => {
    expect(example.steps.length).toBeGreaterThanOrEqual(6);
    const dry = await catalog.applyDefinitions(exampleCatalog, { env, dryRun: true });
    expect(dry.steps.created).toHaveLength(example.steps.length);
    expect(await catalog.latestPublishedLifeEvent('starting-a-business')).toBeUndefined(); // the dry run wrote nothing

    const first = await catalog.applyDefinitions(exampleCatalog, { env });
    expect(first.agencies.created).toHaveLength(example.agencies.length);
    expect(first.steps.created).toHaveLength(example.steps.length);
    expect(first.lifeEvents.created.sort()).toEqual(example.lifeEvents.map((l) => `${l.value.key}@1`).sort());
    expect(first.lifeEvents.created).toContain('starting-a-business@1');

    const before = await counts();
    const again = await catalog.applyDefinitions(exampleCatalog, { env });
    expect(created(again)).toEqual([]);
    expect(again.lifeEvents.unchanged.sort()).toEqual([...first.lifeEvents.created].sort());
    expect(await counts()).toEqual(before);

    const snapshot = await catalog.resolveSnapshot('starting-a-business');
    expect(snapshot.nodes.map((n) => [n.key, n.definition.kind])).toEqual([
      ['register', 'automatic'],
      ['vat', 'automatic'],
      ['social-insurance', 'citizen'],
      ['bank-account', 'citizen'],
      ['alcohol-permit', 'caseworker'],
      ['startup-support', 'automatic'],
      ['alcohol-application', 'citizen'],
    ]);
    expect(snapshot.nodes[0].definition.endpoint).toBe('http://127.0.0.1:3999/agencies/enterprise-counter/register-enterprise');
    expect(snapshot.nodes[4].condition).toEqual({ '==': [{ var: 'data.activity.servesAlcohol' }, true] });
  });

  test('a changed step becomes a new published version, and so does the life event using its latest version', async () => {
    const dir = copyExample();
    const file = path.join(dir, 'steps', 'bank.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('target: P14D', 'target: P21D'));
    const summary = await catalog.applyDefinitions(dir, { env });
    expect(created(summary)).toEqual(['bank/open-business-account@2', 'starting-a-business@2']);
    expect((await catalog.getStep('bank', 'open-business-account', 1)).serviceNorm.target).toBe('P14D');
    expect((await catalog.resolveSnapshot('starting-a-business')).nodes[3].definition).toMatchObject({ version: 2, serviceNorm: { target: 'P21D' } });
    // Another sandbox URL is another endpoint: new versions of the automatic steps.
    const moved = await catalog.applyDefinitions(dir, { env: { SANDBOX_URL: 'http://127.0.0.1:4000' } });
    expect(moved.steps.created).toHaveLength(example.steps.filter((e) => e.value.endpoint?.startsWith(env.SANDBOX_URL)).length);
  });

  test('invalid files: every problem with its file, and nothing is written', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'steps'));
    fs.mkdirSync(path.join(dir, 'life-events'));
    fs.writeFileSync(path.join(dir, 'agencies.yaml'), '- code: new-agency\n  names: { nl: Nieuw }\n');
    fs.writeFileSync(path.join(dir, 'steps', 'new-agency.yaml'), ['- key: ok-step', '  kind: citizen', '  titles: { nl: Stap }', '  serviceNorm: { target: P1D }', '- key: bad-step', '  kind: citizen', '  titles: { nl: Stap }', '  serviceNorm: { target: soon }'].join('\n'));
    fs.writeFileSync(path.join(dir, 'steps', 'ghost.yaml'), '- { key: haunt, kind: citizen, titles: { nl: Spook }, serviceNorm: { target: P1D } }\n');
    fs.writeFileSync(path.join(dir, 'steps', 'broken.yaml'), '- key: [unclosed\n');
    fs.writeFileSync(
      path.join(dir, 'life-events', 'broken.yaml'),
      [
        'key: broken',
        'audience: citizen',
        'titles: { nl: Kapot }',
        'nodes:',
        '  - { key: a, step: { agency: new-agency, key: ok-step, version: latest }, dependsOn: [b] }',
        '  - { key: b, step: { agency: new-agency, key: ok-step, version: latest }, dependsOn: [a] }',
        '  - { key: c, step: { agency: nobody, key: nothing, version: latest } }',
        '  - { key: d, step: { agency: new-agency, key: bad-step, version: latest } }',
      ].join('\n'),
    );
    const before = await counts();
    const error = await refusal(catalog.applyDefinitions(dir, { env }));
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(/nothing was applied/);
    const text = error.problems.map((p) => `${p.path} ${p.message}`).join('\n');
    expect(text).toMatch(/^steps\/broken\.yaml cannot be read/m);
    expect(text).toMatch(/^steps\/new-agency\.yaml#\/1\/serviceNorm\/target /m);
    expect(text).toMatch(/^steps\/ghost\.yaml#\/0\/agency agency 'ghost' does not exist/m);
    expect(text).toMatch(/^life-events\/broken\.yaml#\/nodes\/0\/dependsOn dependency cycle/m);
    expect(text).toMatch(/^life-events\/broken\.yaml#\/nodes\/2\/step there is no published version of step nobody\/nothing/m);
    expect(text).toMatch(/^life-events\/broken\.yaml#\/nodes\/3\/step step new-agency\/bad-step is not published because its definition at steps\/new-agency\.yaml#\/1 has problems/m);
    expect(error.problems).toHaveLength(6);
    expect(await counts()).toEqual(before);
    expect(await catalog.agencyExists('new-agency')).toBe(false);
  });
});

describe('HTTP API', () => {
  let app: INestApplication;
  let sandbox: RunningSandbox;
  let baseUrl: string;
  const as = async (claims: Record<string, unknown>) => {
    const res = await fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
    return new Api(baseUrl, ((await res.json()) as { access_token: string }).access_token);
  };
  const titles = (nl: string) => ({ nl, en: nl });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const config = {
      databaseUrl: db.url,
      auth: { issuer: `${sandbox.url}/oidc`, jwksUrl: `${sandbox.url}/oidc/jwks`, audience: 'levensloop', ...readTokenChecks({}).checks },
    } as LevensloopConfig;
    // The catalog module as the app module wires it, with the real guard, filter and validation pipe.
    @Module({})
    class CatalogTestApp {}
    app = await NestFactory.create(
      {
        module: CatalogTestApp,
        imports: [ConfigModule.forRoot(config), TypeOrmModule.forRoot(dataSourceOptions(db.url)), CatalogModule],
        providers: [
          { provide: APP_GUARD, useClass: AuthGuard },
          { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        ],
      },
      { logger: false },
    );
    app.useGlobalPipes(createValidationPipe());
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });

  test('agency admins manage only their own agency; catalog admins manage everything', async () => {
    const admin = await as({ role: 'catalog-admin', sub: 'admin' });
    const bankAdmin = await as({ role: 'agency-admin', agency: 'http-bank', sub: 'bank-admin' });
    const otherAdmin = await as({ role: 'agency-admin', agency: 'http-other', sub: 'other-admin' });
    const citizen = await as({ role: 'citizen', nationalNumber: '85073003328', sub: 'citizen' });

    expect((await admin.post('/agencies', { code: 'http-bank', names: titles('Bank') })).status).toBe(201);
    expectProblem(await bankAdmin.post('/agencies', { code: 'http-nope', names: titles('Nee') }), 403);
    expectProblem(await admin.post('/agencies', { code: 'http-bank', names: titles('Bank') }), 409);
    expect((await citizen.get('/agencies')).body.map((a: { code: string }) => a.code)).toContain('http-bank');

    const body = { key: 'open-account', kind: 'citizen', titles: titles('Rekening'), serviceNorm: { target: 'P14D' } };
    const created = await bankAdmin.post('/agencies/http-bank/steps', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ agency: 'http-bank', key: 'open-account', version: 1, status: 'draft' });
    expect(expectProblem(await otherAdmin.post('/agencies/http-bank/steps', body), 403).detail).toMatch(/http-other/);
    expectProblem(await otherAdmin.post('/agencies/http-bank/steps/open-account/versions/1/publish'), 403);
    expectProblem(await citizen.post('/agencies/http-bank/steps', body), 403);
    expectProblem(await bankAdmin.post('/agencies/http-bank/steps', { ...body, agency: 'http-other' }), 422);

    expect((await bankAdmin.put('/agencies/http-bank/steps/open-account/versions/1', { ...body, titles: titles('Zichtrekening') })).body.titles.nl).toBe('Zichtrekening');
    expect((await bankAdmin.post('/agencies/http-bank/steps/open-account/versions/1/publish')).status).toBe(200);
    expect(expectProblem(await bankAdmin.put('/agencies/http-bank/steps/open-account/versions/1', body), 409).detail).toMatch(/immutable once published/);
    expect((await citizen.get('/agencies/http-bank/steps/open-account')).body).toHaveLength(1);
    expect((await citizen.get('/agencies/http-bank/steps/open-account/versions/1')).body.status).toBe('published');
    expectProblem(await citizen.get('/agencies/http-bank/steps/open-account/versions/2'), 404);
    expectProblem(await citizen.get('/agencies/http-bank/steps/open-account/versions/0'), 400);
    expectProblem(await citizen.get('/agencies/http-bank/steps/open-account/versions/99999999999'), 400);
    expectProblem(await citizen.get('/agencies/nobody/steps'), 404);
    expect((await admin.post('/agencies/http-bank/steps/open-account/versions/1/retire')).body.status).toBe('retired');
  });

  test('life events: catalog admins only; shape problems are 400, semantic ones 422 with every problem', async () => {
    const admin = await as({ role: 'catalog-admin', sub: 'admin' });
    const bankAdmin = await as({ role: 'agency-admin', agency: 'http-bank', sub: 'bank-admin' });
    await admin.post('/agencies/http-bank/steps', { key: 'card', kind: 'citizen', titles: titles('Kaart'), serviceNorm: { target: 'P7D' } });
    await admin.post('/agencies/http-bank/steps/card/versions/1/publish');
    const definition = {
      key: 'http-event',
      audience: 'citizen',
      titles: titles('Gebeurtenis'),
      nodes: [
        { key: 'card', step: { agency: 'http-bank', key: 'card', version: 1 } },
        { key: 'later', step: { agency: 'http-bank', key: 'card', version: 1 }, dependsOn: ['card'], condition: { '==': [{ var: 'data.wantsCard' }, true] }, optional: true },
      ],
    };
    expectProblem(await bankAdmin.post('/life-events', definition), 403);

    const before = await counts();
    const shape = expectProblem(await admin.post('/life-events', { ...definition, audience: 'martians', nodes: [{ key: 'a', step: { agency: 'http-bank', key: 'card', version: 'one' }, extra: 1 }] }), 400);
    expect(shape.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['/audience', '/nodes/0/step/version', '/nodes/0/extra']));
    const semantic = expectProblem(
      await admin.post('/life-events', {
        ...definition,
        titles: { en: 'No Dutch' },
        nodes: [
          { key: 'a', step: { agency: 'http-bank', key: 'open-account', version: 1 }, dependsOn: ['b'] },
          { key: 'b', step: { agency: 'http-bank', key: 'card', version: 7 }, dependsOn: ['a'] },
        ],
      }),
      422,
    );
    expect(semantic.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['/titles/nl', '/nodes/0/step', '/nodes/1/step', '/nodes/0/dependsOn']));
    expect(await counts()).toEqual(before);

    const created = await admin.post('/life-events', definition);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'http-event', version: 1, status: 'draft', nodes: definition.nodes });
    expect((await admin.post('/life-events/http-event/versions/1/publish')).body.status).toBe('published');
    expectProblem(await admin.put('/life-events/http-event/versions/1', definition), 409);
    expect((await bankAdmin.get('/life-events')).body.map((l: { key: string }) => l.key)).toContain('http-event');
    expect((await bankAdmin.get('/life-events/http-event')).body).toHaveLength(1);
    expect((await bankAdmin.get('/life-events/http-event/versions/1')).body.nodes[1].condition).toEqual(definition.nodes[1].condition);
    expectProblem(await admin.post('/life-events/http-event/versions/2/retire'), 404);
    expect((await admin.post('/life-events/http-event/versions/1/retire')).body.status).toBe('retired');
  });

  test('data requirements, decision rules and triggers over HTTP: 400 for shapes, 422 with pointers for meaning', async () => {
    const admin = await as({ role: 'catalog-admin', sub: 'admin' });
    expect((await admin.post('/agencies', { code: 'http-payments', names: titles('Uitbetaler') })).status).toBe(201);
    const requirement = { source: 'address-register', field: 'region', purpose: titles('Woonplaats nagaan'), legalBasis: { type: 'law', reference: 'Decreet Groeipakket, art. 7' } };
    const rule = {
      id: 'http-birth-grant',
      version: 1,
      branches: [{ when: { '==': [{ var: 'fields.address-register.region' }, 'flanders'] }, outcome: 'grant', explanation: titles('Toegekend: {fields.address-register.region}') }],
      otherwise: { outcome: 'refer', explanation: titles('Een medewerker beslist') },
    };
    const step = { key: 'birth-grant', kind: 'decision', titles: titles('Startbedrag'), serviceNorm: { target: 'P10D' }, dataRequirements: [requirement], rule };
    const before = await counts();

    const shape = expectProblem(
      await admin.post('/agencies/http-payments/steps', {
        ...step,
        dataRequirements: [{ ...requirement, legalBasis: { type: 'custom', reference: 'x' }, why: 'x' }],
        rule: { ...rule, branches: [{ ...rule.branches[0], outcome: 'maybe' }] },
      }),
      400,
    );
    expect(shape.errors!.map((e) => e.path).sort()).toEqual(['/dataRequirements/0/legalBasis/type', '/dataRequirements/0/why', '/rule/branches/0/outcome']);

    const unknown = await admin.post('/agencies/http-payments/steps', { ...step, dataRequirements: [{ ...requirement, field: 'province' }] });
    expect(unknown.contentType).toMatch(/^application\/problem\+json/);
    const problem = expectProblem(unknown, 422);
    expect(problem.errors).toEqual(
      expect.arrayContaining([{ path: '/dataRequirements/0/field', message: expect.stringMatching(/^source 'address-register' has no field 'province'; its fields are /) }]),
    );
    expect(await counts()).toEqual(before);

    const created = await admin.post('/agencies/http-payments/steps', step);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'decision', dataRequirements: [requirement], rule });
    expect((await admin.post('/agencies/http-payments/steps/birth-grant/versions/1/publish')).body.status).toBe('published');
    const conflict = expectProblem(await admin.post('/agencies/http-payments/steps', { ...step, key: 'other-grant', rule: { ...rule, otherwise: { outcome: 'deny', explanation: titles('Nee') } } }), 422);
    expect(conflict.errors).toEqual([{ path: '/rule/version', message: expect.stringMatching(/^rule 'http-birth-grant' version 1 already exists with other content .*use version 2/) }]);

    const trigger = { eventType: 'be.national-register.birth.registered', subject: { type: 'person', path: 'child.nationalNumber' }, data: { birthDate: 'child.birthDate' }, mandates: { path: 'parents', kind: 'parent' } };
    const lifeEvent = { key: 'http-birth', audience: 'citizen', titles: titles('Geboorte'), nodes: [{ key: 'grant', step: { agency: 'http-payments', key: 'birth-grant', version: 1 } }], triggers: [trigger] };
    expect(expectProblem(await admin.post('/life-events', { ...lifeEvent, triggers: [{ ...trigger, subject: { type: 'child', path: 'x' } }] }), 400).errors!.map((e) => e.path)).toEqual(['/triggers/0/subject/type']);
    expect(expectProblem(await admin.post('/life-events', { ...lifeEvent, triggers: [{ ...trigger, eventType: 'birth' }] }), 422).errors!.map((e) => e.path)).toEqual(['/triggers/0/eventType']);
    const event = await admin.post('/life-events', lifeEvent);
    expect(event.status).toBe(201);
    expect(event.body.triggers).toEqual([trigger]);
    expect((await admin.post('/life-events/http-birth/versions/1/publish')).body.triggers).toEqual([trigger]);
  });

  test("an automatic step's endpoint must be on its agency's endpoint hosts, which only catalog admins keep", async () => {
    const admin = await as({ role: 'catalog-admin', sub: 'admin' });
    const bankAdmin = await as({ role: 'agency-admin', agency: 'http-hosts', sub: 'hosts-admin' });
    const created = await admin.post('/agencies', { code: 'http-hosts', names: titles('Bank'), endpointHosts: ['api.bank.example', 'API.bank.example'] });
    expect(created.status).toBe(201);
    expect(created.body.endpointHosts).toEqual(['api.bank.example']);
    const invalidHosts = expectProblem(await admin.post('/agencies', { code: 'http-hosts-bad', names: titles('X'), endpointHosts: ['https://x.example/path'] }), 422);
    expect(invalidHosts.errors).toEqual([{ path: '/endpointHosts/0', message: expect.stringContaining('is not a host') }]);
    expect((await admin.get('/agencies/http-hosts-bad')).status).toBe(404);

    const step = (endpoint: string) => ({ key: 'open-account', kind: 'automatic', titles: titles('Rekening'), endpoint, serviceNorm: { target: 'P1D' }, outputs: [{ name: 'iban', type: 'string' }] });
    const before = await counts();
    const outside = expectProblem(await bankAdmin.post('/agencies/http-hosts/steps', step('http://127.0.0.1:3100/oidc/dev-token')), 422);
    expect(outside.errors).toEqual([
      { path: '/endpoint', message: "127.0.0.1:3100 is not among the endpoint hosts of agency 'http-hosts': it may use api.bank.example (a catalog admin keeps this list: PUT /agencies/http-hosts/endpoint-hosts)" },
    ]);
    expect(await counts()).toEqual(before);
    const draft = await bankAdmin.post('/agencies/http-hosts/steps', step('https://api.bank.example/open'));
    expect(draft.status).toBe(201);
    expect(draft.body.outputs).toEqual([{ name: 'iban', type: 'string' }]);
    // Editing the draft is checked the same way.
    expect(expectProblem(await bankAdmin.put('/agencies/http-hosts/steps/open-account/versions/1', step('https://evil.example/open')), 422).errors![0].path).toBe('/endpoint');

    // The agency's own admin cannot widen the list; a catalog admin can, and can narrow it again.
    expectProblem(await bankAdmin.put('/agencies/http-hosts/endpoint-hosts', { endpointHosts: ['evil.example'] }), 403);
    expectProblem(await admin.put('/agencies/http-nobody/endpoint-hosts', { endpointHosts: [] }), 404);
    expectProblem(await admin.put('/agencies/http-hosts/endpoint-hosts', { endpointHosts: 'evil.example' }), 400);
    expect((await admin.put('/agencies/http-hosts/endpoint-hosts', { endpointHosts: ['api.bank.example', 'backup.bank.example:8443'] })).body.endpointHosts).toEqual(['api.bank.example', 'backup.bank.example:8443']);
    expect((await bankAdmin.put('/agencies/http-hosts/steps/open-account/versions/1', step('https://backup.bank.example:8443/open'))).status).toBe(200);
    expect((await admin.put('/agencies/http-hosts/endpoint-hosts', { endpointHosts: ['api.bank.example'] })).status).toBe(200);
    // Publishing checks the list of the moment.
    expect(expectProblem(await bankAdmin.post('/agencies/http-hosts/steps/open-account/versions/1/publish'), 422).errors![0].path).toBe('/endpoint');
  });

  test('the production profile drafts automatic steps with https endpoints only', async () => {
    await catalog.createAgency('prod-bank', titles('Bank'), ['bank.example']);
    const production = new CatalogService(ds, undefined, { httpsEndpointsOnly: true });
    const step = (endpoint: string) => ({ key: 'pay', kind: 'automatic' as const, titles: titles('Betalen'), endpoint, serviceNorm: { target: 'P1D' } });
    const refused = await refusal(production.createStepDraft('prod-bank', step('http://bank.example/pay')));
    expect(refused.problems).toEqual([{ path: '/endpoint', message: expect.stringContaining('https only') }]);
    expect((await production.createStepDraft('prod-bank', step('https://bank.example/pay'))).version).toBe(1);
  });

  test('the request examples in the OpenAPI document are accepted as they are', async () => {
    const admin = await as({ role: 'catalog-admin', sub: 'admin' });
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build());
    const examples = (path: string) => (doc.paths[path].post!.requestBody as { content: Record<string, { examples: Record<string, { value: any }> }> }).content['application/json'].examples;
    const steps = examples('/agencies/{agency}/steps');
    expect(Object.keys(steps)).toEqual(['caseworker', 'decision']);
    // Agencies of their own, so the example rule id cannot meet the example catalog's.
    const agencyOf = { caseworker: 'http-example-insurer', decision: 'http-example-payments' } as const;
    const refs = new Map<string, { agency: string; key: string; version: number }>();
    for (const [name, agency] of Object.entries(agencyOf)) {
      expect((await admin.post('/agencies', { code: agency, names: titles(agency) })).status).toBe(201);
      const created = await admin.post(`/agencies/${agency}/steps`, steps[name].value);
      expect([name, created.status]).toEqual([name, 201]);
      expect((await admin.post(`/agencies/${agency}/steps/${created.body.key}/versions/1/publish`)).status).toBe(200);
      refs.set(created.body.key, { agency, key: created.body.key, version: 1 });
    }
    const lifeEvent = examples('/life-events').proactive.value;
    const nodes = lifeEvent.nodes.map((n: { step: { key: string } }) => ({ ...n, step: refs.get(n.step.key) }));
    expect(nodes.every((n: { step?: unknown }) => n.step)).toBe(true);
    const created = await admin.post('/life-events', { ...lifeEvent, key: 'http-example-birth', nodes });
    expect(created.status).toBe(201);
    expect(created.body.triggers).toEqual(lifeEvent.triggers);
  });

  test("GET /steps lists every agency's step versions, e.g. only the published ones a life event may use", async () => {
    const admin = await as({ role: 'catalog-admin', sub: 'admin' });
    const citizen = await as({ role: 'citizen', nationalNumber: '85073003328', sub: 'citizen' });
    expect((await admin.post('/agencies', { code: 'http-steps', names: titles('Stappen') })).status).toBe(201);
    const body = { key: 'review', kind: 'caseworker', titles: titles('Nazicht'), serviceNorm: { target: 'P5D' } };
    for (let v = 1; v <= 3; v++) expect((await admin.post('/agencies/http-steps/steps', body)).body.version).toBe(v);
    expect((await admin.post('/agencies/http-steps/steps/review/versions/1/publish')).status).toBe(200);
    expect((await admin.post('/agencies/http-steps/steps/review/versions/2/publish')).status).toBe(200);
    expect((await admin.post('/agencies/http-steps/steps/review/versions/1/retire')).status).toBe(200);

    const mine = (items: Array<{ agency: string; key: string; version: number; status: string }>) => items.filter((s) => s.agency === 'http-steps').map((s) => `${s.key}@${s.version}:${s.status}`);
    const all = await citizen.get('/steps');
    expect(all.status).toBe(200);
    expect(mine(all.body)).toEqual(['review@1:retired', 'review@2:published', 'review@3:draft']);
    const published = (await citizen.get('/steps?status=published')).body;
    expect(mine(published)).toEqual(['review@2:published']);
    expect(published.every((s: { status: string }) => s.status === 'published')).toBe(true);
    expect(expectProblem(await citizen.get('/steps?status=final'), 400).errors).toEqual([{ path: '/status', message: 'status must be one of draft, published, retired' }]);
    expectProblem(await new Api(baseUrl).get('/steps'), 401);
  });

  test('GET /sources lists the authentic sources and their fields to every signed-in role', async () => {
    const citizen = await as({ role: 'citizen', nationalNumber: '85073003328', sub: 'citizen' });
    const res = await citizen.get('/sources');
    expect(res.status).toBe(200);
    expect(res.body.map((s: { key: string }) => s.key)).toEqual(['address-register', 'criminal-record', 'enterprise-register', 'national-register']);
    const register = res.body.find((s: { key: string }) => s.key === 'national-register');
    expect(register).toMatchObject({ titles: { nl: 'Rijksregister' }, subjectTypes: ['person'] });
    expect(register.fields).toContainEqual({ field: 'address.postalCode', type: 'string', titles: { nl: 'Postcode', en: 'Postal code', fr: 'Code postal', de: 'Postleitzahl' } });
    expect(register.fields.map((f: { field: string }) => f.field)).toEqual([...register.fields.map((f: { field: string }) => f.field)].sort());
    expect((await citizen.get('/sources/enterprise-register')).body.subjectTypes).toEqual(['enterprise']);
    expect(expectProblem(await citizen.get('/sources/tax-register'), 404).detail).toMatch(/address-register, criminal-record, enterprise-register, national-register/);
    expectProblem(await new Api(baseUrl).get('/sources'), 401);
  });

  test('the OpenAPI document describes the catalog endpoints and their bodies', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build());
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/agencies', '/agencies/{agency}/steps', '/agencies/{agency}/steps/{key}/versions/{version}/publish', '/life-events/{key}/versions/{version}']),
    );
    const schemas = doc.components!.schemas as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    expect(schemas.StepDefinitionDto.required).toEqual(expect.arrayContaining(['key', 'kind', 'titles', 'serviceNorm']));
    expect(Object.keys(schemas.LifeEventNodeDto.properties!)).toEqual(['key', 'step', 'dependsOn', 'condition', 'optional']);
    expect(Object.keys(schemas.StepVersionResponse.properties!)).toEqual(expect.arrayContaining(['agency', 'version', 'status', 'publishedAt']));
    expect(doc.paths['/life-events'].post!.responses['422']).toBeDefined();
    expect(doc.paths['/sources'].get).toBeDefined();
    expect(doc.paths['/steps'].get!.parameters!.map((p: any) => p.name)).toEqual(['status']);
    expect(Object.keys(schemas.StepDefinitionDto.properties!)).toEqual(expect.arrayContaining(['dataRequirements', 'rule']));
    expect(Object.keys(schemas.LifeEventDefinitionDto.properties!)).toContain('triggers');
    expect(schemas.DataRequirementDto.required).toEqual(['source', 'field', 'purpose', 'legalBasis']);
    expect(schemas.DecisionRuleDto.required).toEqual(['id', 'version', 'branches', 'otherwise']);
    expect(Object.keys(schemas.DecisionBranchDto.properties!)).toEqual(['when', 'outcome', 'explanation']);
    expect(Object.keys(schemas.LifeEventTriggerDto.properties!)).toEqual(['eventType', 'subject', 'condition', 'data', 'mandates']);
    expect(Object.keys(schemas.SourceResponse.properties!)).toEqual(['key', 'titles', 'subjectTypes', 'fields', 'evidence']);
  });
});
