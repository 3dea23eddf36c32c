/**
 * Once-only and proactive service end to end, on the example catalog (infra/catalog): the
 * sandbox's national register reports a birth, the engine starts "birth of a child" by itself,
 * fetches each step's declared fields from the registers (logging every read), decides the birth
 * grant and the child benefit by rule, asks the parents only for consent and for what no source
 * holds, and shows all of it to the parents (who hold a mandate for the child) and nobody else.
 */
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack, sandboxRequest, type Stack } from '../support/stack';

jest.setTimeout(240_000);

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let auditor: Api;
let examples: any;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);

const citizenApi = async (nationalNumber: string) => stack.api.as(await stack.token({ role: 'citizen', nationalNumber, sub: `citizen-${nationalNumber}` }));

/** The birth is registered in the sandbox's national register, which publishes the event to the gateway. */
async function registerBirth(parents: string[]) {
  const published = await sandbox('POST', '/_sandbox/events/births', { parents });
  expect(published.delivery?.status).toBe(202);
  return published.event as { id: string; subject: string; data: { child: { nationalNumber: string; birthDate: string } } };
}

async function journeyOf(child: string) {
  return pollUntil(`journey for ${child}`, async () => {
    const res = await auditor.get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`);
    return res.status === 200 && res.body.items.length === 1 ? res.body.items[0] : undefined;
  });
}

async function stepOf(journeyId: string, node: string, until: (step: any) => boolean) {
  return pollUntil(`step ${node} of ${journeyId}`, async () => {
    const res = await auditor.get(`/journeys/${journeyId}`);
    const step = res.body.steps?.find((s: any) => s.key === node || s.node === node);
    return step && until(step) ? step : undefined;
  });
}

async function openTask(api: Api, journeyId: string, node: string, purpose: string) {
  return pollUntil(`${purpose} task of ${node}`, async () => {
    const res = await api.get('/tasks?view=open');
    return res.body.items?.find((t: any) => t.journeyId === journeyId && t.step === node && t.purpose === purpose);
  });
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_birth');
  stack = await startStack(db.url, 'birth');
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  examples = await sandbox('GET', '/_sandbox/population/examples');
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

test('a birth starts the journey by itself: rights granted and explained, data fetched once and logged, parents asked only for consent and what no source holds; a withdrawn consent stops later reads', async () => {
  const parents: string[] = examples.flemishCouple.parents;
  const event = await registerBirth(parents);
  const child = event.data.child.nationalNumber;
  const journey = await journeyOf(child);
  expect(journey).toMatchObject({ lifeEvent: { key: 'birth-of-a-child' }, subject: { type: 'person', id: child } });

  // Both decisions are made by rule and explained with the data they used.
  const mother = await citizenApi(parents[0]);
  const decisions = await pollUntil('two decisions', async () => {
    const res = await mother.get(`/journeys/${journey.id}/decisions?lang=en`);
    return res.status === 200 && res.body.items.length === 2 ? res.body.items : undefined;
  });
  for (const decision of decisions) {
    expect(decision.outcome).toBe('grant');
    expect(decision.rule.version).toBe(1);
    expect(decision.decided.explanation).toContain(event.data.child.birthDate);
    expect(decision.inputs.fields.map((f: any) => `${f.source}/${f.field}`).sort()).toEqual(['address-register/region', 'national-register/birthDate']);
  }

  // Minimisation: the health insurer received exactly the four fields its step declares.
  const call = await pollUntil('health insurer called', async () => {
    const calls = await sandbox('GET', `/_sandbox/calls?agency=health-insurer&service=register-child`);
    return calls.calls.find((c: any) => c.body?.journeyId === journey.id);
  });
  expect(call.body.fields).toEqual({
    'national-register': {
      name: { given: expect.any(String), family: expect.any(String) },
      birthDate: event.data.child.birthDate,
      family: { parents: expect.arrayContaining(parents) },
    },
  });

  // The home visit uses the phone number only with consent: the parent consents; the register
  // holds no phone number for a newborn, so the parent is asked for it, once.
  const consentTask = await openTask(mother, journey.id, 'home-visit', 'consent');
  expect(consentTask.fields).toEqual(['national-register/contact.phone']);
  const badConsent = await mother.post(`/tasks/${consentTask.id}/complete`, { consents: { 'national-register/contact.email': true } });
  expectProblem(badConsent, 422);
  expect((await mother.post(`/tasks/${consentTask.id}/complete`, { consents: { 'national-register/contact.phone': true } })).status).toBe(200);
  const dataTask = await openTask(mother, journey.id, 'home-visit', 'data');
  expect(dataTask.fields).toEqual(['national-register/contact.phone']);

  // The mother withdraws the consent; when the family then moves, the register's "changed" event
  // makes the engine read the address again, but no longer the phone number.
  const consent = (await mother.get('/me/consents')).body.items.find((c: any) => c.journeyId === journey.id);
  expect(consent.status).toBe('granted');
  expect((await mother.post(`/me/consents/${consent.id}/withdraw`, {})).status).toBe(200);
  const withdrawnAt = new Date().toISOString();
  // (within Flanders: Ghent)
  await sandbox('POST', `/_sandbox/events/persons/${child}/move`, { postalCode: '9000' });
  await pollUntil('the journey heard of the change', async () => {
    const timeline = (await auditor.get(`/journeys/${journey.id}`)).body.timeline ?? [];
    return timeline.some((e: any) => e.type === 'journey.source_event') ? true : undefined;
  });

  expectProblem(await mother.post(`/tasks/${dataTask.id}/complete`, { values: {} }), 422);
  expect((await mother.post(`/tasks/${dataTask.id}/complete`, { values: { 'national-register/contact.phone': '+32470123456' } })).status).toBe(200);
  const reread = await pollUntil('address read again', async () => {
    const reads = (await sandbox('GET', `/_sandbox/source-reads?source=national-register&subject=${child}`)).reads.filter((r: any) => r.at > withdrawnAt && r.journeyId === journey.id);
    return reads.some((r: any) => r.fields.includes('address')) ? reads : undefined;
  });
  expect(reread.flatMap((r: any) => r.fields)).not.toContain('contact.phone');

  // Then the caseworker of the child-and-family agency plans the visit; the journey completes.
  const caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: 'child-and-family', sub: 'nurse-1' }));
  const visit = await openTask(caseworker, journey.id, 'home-visit', 'task');
  expect((await caseworker.post(`/tasks/${visit.id}/complete`, { outcome: 'approve', data: { visitOn: '2026-12-01' } })).status).toBe(200);
  await pollUntil('journey completed', async () => ((await auditor.get(`/journeys/${journey.id}`)).body.status === 'completed' ? true : undefined));

  // Once-only: everything but the phone number came from the registers.
  const use = (await auditor.get(`/journeys/${journey.id}/data-use`)).body;
  expect(use.fields.asked).toBe(1);
  expect(use.fields.prefilled).toBeGreaterThanOrEqual(9);
  console.log(`once-only rate of a birth journey: ${use.onceOnlyRate} (${use.fields.prefilled} fields pre-filled, ${use.fields.asked} asked)`);

  // The parents see who read the child's data and why; a stranger sees nothing of it.
  const log = (await mother.get('/me/data-access?lang=en')).body.items.filter((e: any) => e.journey?.id === journey.id);
  expect(log.length).toBeGreaterThanOrEqual(5);
  for (const entry of log) {
    expect(entry.subject).toMatchObject({ id: child, relation: 'mandate' });
    expect(entry.purpose).toEqual(expect.any(String));
    expect(entry.outcome).toBe('granted');
  }
  expect(log.map((e: any) => e.agency.code)).toEqual(expect.arrayContaining(['growth-package', 'health-insurer', 'child-and-family', 'childcare']));
  const father = await citizenApi(parents[1]);
  expect((await father.get('/me/data-access')).body.items.filter((e: any) => e.journey?.id === journey.id).length).toBe(log.length);
  const stranger = await citizenApi(examples.personWithoutContact);
  expect((await stranger.get('/me/data-access')).body.items.filter((e: any) => e.subject.id === child)).toEqual([]);
  expect((await stranger.get(`/journeys/${journey.id}`)).status).toBe(404);
});

test('a family outside Flanders is denied with an explanation; a caseworker overrides it and the override is audited', async () => {
  const parents: string[] = examples.brusselsCouple.parents;
  const event = await registerBirth(parents);
  const journey = await journeyOf(event.data.child.nationalNumber);
  const parent = await citizenApi(parents[0]);
  const decisions = await pollUntil('decisions', async () => {
    const res = await parent.get(`/journeys/${journey.id}/decisions?lang=nl`);
    return res.status === 200 && res.body.items.length === 2 ? res.body.items : undefined;
  });
  const grant = decisions.find((d: any) => d.node === 'birth-grant');
  expect(grant.outcome).toBe('deny');
  expect(grant.decided.explanation).toContain('niet in het Vlaamse Gewest');
  expect(grant.decided.explanation).toContain('BE-BRU');

  const caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: 'growth-package', sub: 'cw-growth-1' }));
  const other = stack.api.as(await stack.token({ role: 'caseworker', agency: 'health-insurer', sub: 'cw-health-1' }));
  expectProblem(await other.post(`/journeys/${journey.id}/decisions/birth-grant/override`, { outcome: 'grant', reason: 'Not my agency' }), 403);
  expectProblem(await caseworker.post(`/journeys/${journey.id}/decisions/birth-grant/override`, { outcome: 'grant' }), 400);
  const overridden = await caseworker.post(`/journeys/${journey.id}/decisions/birth-grant/override`, { outcome: 'grant', reason: 'The family moved to Ghent before the birth; the register is being corrected.' });
  expect(overridden.status).toBe(200);
  expect(overridden.body).toMatchObject({ outcome: 'grant', override: { outcome: 'grant', by: 'cw-growth-1' } });

  const step = await stepOf(journey.id, 'birth-grant', (s) => s.outcome?.result === 'approved');
  expect(step.outcome.by).toBe('cw-growth-1');
  const audit = (await auditor.get(`/audit?target=${journey.id}/birth-grant`)).body.items;
  expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'cw-growth-1', action: 'decision.overridden' })]));
});

test('consent refused: the field is asked instead of fetched, and never read', async () => {
  const parents: string[] = examples.singleParent.parents ?? examples.singleParent;
  const event = await registerBirth(parents.slice(0, 1));
  const child = event.data.child.nationalNumber;
  const journey = await journeyOf(child);
  const parent = await citizenApi(parents[0]);
  const consentTask = await openTask(parent, journey.id, 'home-visit', 'consent');
  expect((await parent.post(`/tasks/${consentTask.id}/complete`, { consents: { 'national-register/contact.phone': false } })).status).toBe(200);
  const dataTask = await openTask(parent, journey.id, 'home-visit', 'data');
  expect(dataTask.fields).toEqual(['national-register/contact.phone']);

  // Refused means never read: no read of the phone number reached the register for this child.
  const reads = await sandbox('GET', `/_sandbox/source-reads?source=national-register&subject=${child}`);
  expect(reads.reads.flatMap((r: any) => r.fields)).not.toContain('contact.phone');

  // The consent is on record as refused; the parent can see it.
  const consents = (await parent.get('/me/consents')).body.items;
  expect(consents).toEqual(
    expect.arrayContaining([expect.objectContaining({ status: 'refused', journeyId: journey.id, field: expect.objectContaining({ id: 'national-register/contact.phone' }) })]),
  );
});

test('a register that is down: the step retries, then needs attention; nothing is lost and it resumes when the register is back', async () => {
  await sandbox('PUT', '/_sandbox/sources/address-register/behaviour', { failWith: 503 });
  try {
    const event = await registerBirth(examples.flemishCouple.parents);
    const journey = await journeyOf(event.data.child.nationalNumber);
    const step = await stepOf(journey.id, 'birth-grant', (s) => s.status === 'needs_attention');
    expect(step.error).toMatch(/503|unavailable|address-register/i);
    await sandbox('DELETE', '/_sandbox/sources/address-register/behaviour');
    const caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: 'growth-package', sub: 'cw-growth-2' }));
    expect((await caseworker.post(`/journeys/${journey.id}/steps/birth-grant/retry`, { reason: 'The address register is back.' })).status).toBeLessThan(300);
    const done = await stepOf(journey.id, 'birth-grant', (s) => s.status === 'completed');
    expect(done.outcome.result).toBe('approved');
  } finally {
    await fetch(`${stack.sandboxUrl}/_sandbox/sources/address-register/behaviour`, { method: 'DELETE' });
  }
});

test('starting a business: who the entrepreneur is comes from the register, nothing is asked', async () => {
  const entrepreneur: string = examples.soleTrader.nationalNumber;
  const citizen = await citizenApi(entrepreneur);
  const started = await citizen.post(
    '/journeys',
    { lifeEvent: { key: 'starting-a-business' }, subject: { type: 'person', id: entrepreneur }, data: { activity: { servesAlcohol: false } } },
    { 'idempotency-key': `start-business-${entrepreneur}` },
  );
  expect(started.status).toBe(201);
  const journeyId = started.body.id;
  await stepOf(journeyId, 'register', (s) => s.status === 'completed');
  const use = (await citizen.get(`/journeys/${journeyId}/data-use`)).body;
  const register = use.steps.find((s: any) => s.node === 'register');
  expect(register.prefilled.map((f: any) => f.id ?? `${f.source}/${f.field}`).sort()).toEqual([
    'national-register/address',
    'national-register/birthDate',
    'national-register/name.family',
    'national-register/name.given',
    'national-register/nationality',
  ]);
  expect(register.asked).toEqual([]);
  // The enterprise counter got the entrepreneur's name from the register, not from a form.
  const call = await pollUntil('enterprise counter called', async () => {
    const calls = await sandbox('GET', '/_sandbox/calls?agency=enterprise-counter&service=register-enterprise');
    return calls.calls.find((c: any) => c.body?.journeyId === journeyId);
  });
  const person = await sandbox('GET', `/_sandbox/population/persons/${entrepreneur}`);
  expect(call.body.fields['national-register'].name).toEqual({ given: person.name.given, family: person.name.family });
  console.log(`once-only rate of the register step of starting a business: ${register.onceOnlyRate} (${register.prefilled.length} pre-filled, ${register.asked.length} asked)`);
});

test('a rule that cannot decide refers the case: the caseworker decides, and the decision records and audits it', async () => {
  const admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-referral' }));
  const titles = { nl: 'Premie', en: 'Premium' };
  const law = { type: 'law', reference: 'Testdecreet, art. 1' };
  const step = await admin.post('/agencies/growth-package/steps', {
    key: 'referred-premium',
    kind: 'decision',
    titles,
    serviceNorm: { target: 'P10D' },
    dataRequirements: [{ source: 'national-register', field: 'birthDate', purpose: { nl: 'Recht vaststellen' }, legalBasis: law }],
    rule: {
      id: 'referred-premium',
      version: 1,
      branches: [{ when: { '==': [{ var: 'fields.national-register.birthDate' }, '1900-01-01'] }, outcome: 'grant', explanation: { nl: 'Toegekend.' } }],
      otherwise: { outcome: 'refer', explanation: { nl: 'Een medewerker bekijkt uw aanvraag.' } },
    },
  });
  expect(step.status).toBe(201);
  expect((await admin.post(`/agencies/growth-package/steps/referred-premium/versions/${step.body.version}/publish`)).status).toBe(200);
  const lifeEvent = await admin.post('/life-events', { key: 'referred-premium', audience: 'citizen', titles, nodes: [{ key: 'premium', step: { agency: 'growth-package', key: 'referred-premium', version: step.body.version } }] });
  expect(lifeEvent.status).toBe(201);
  expect((await admin.post(`/life-events/referred-premium/versions/${lifeEvent.body.version}/publish`)).status).toBe(200);

  const person: string = examples.elderlyPerson;
  const started = await admin.post('/journeys', { lifeEvent: { key: 'referred-premium' }, subject: { type: 'person', id: person }, reason: 'referral test' }, { 'idempotency-key': `referral-${person}` });
  expect(started.status).toBe(201);
  const caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: 'growth-package', sub: 'cw-referral' }));
  const task = await openTask(caseworker, started.body.id, 'premium', 'task');
  expect((await caseworker.post(`/tasks/${task.id}/complete`, { outcome: 'reject', comment: 'The applicant does not meet the residence condition.' })).status).toBe(200);

  const [decision] = (await auditor.get(`/journeys/${started.body.id}/decisions?lang=nl`)).body.items;
  expect(decision.decided.outcome).toBe('refer');
  expect(decision.outcome).toBe('deny');
  expect(decision.override).toMatchObject({ outcome: 'deny', by: 'cw-referral', reason: 'The applicant does not meet the residence condition.' });
  const audit = (await auditor.get(`/audit?target=${started.body.id}/premium`)).body.items;
  expect(audit).toEqual([expect.objectContaining({ actor: 'cw-referral', action: 'decision.referral_decided' })]);
  const journey = await pollUntil('journey completed', async () => {
    const res = await auditor.get(`/journeys/${started.body.id}`);
    return res.body.status === 'completed' ? res.body : undefined;
  });
  expect(journey.steps.find((s: any) => s.key === 'premium').outcome.result).toBe('rejected');
});
