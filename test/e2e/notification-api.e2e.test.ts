/**
 * The notification API end to end (gateway, worker, dispatcher and sandbox as processes): an
 * agency registers templates (checked against what the category provides, versioned), the next
 * e-mail uses its text; citizens read their messages in their language, mark them read and set
 * their preferences (only the channels that reach them are offered); caseworkers see every delivery
 * of a journey (a parent only their own), including an SMS settled by the SMS gateway's signed
 * delivery report; a forged report is refused; letters go through the print
 * queue of the print service. A message reads as it was sent, whatever template is in force later.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MESSAGE_CATEGORIES } from '@levensloop/notifications';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack, sandboxRequest, type Stack } from '../support/stack';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const agency = `notify-${run}`;
const otherAgency = `elsewhere-${run}`;
const lifeEvent = `hand-in-${run}`;
const STRANGER = '90010100123';
const SMS_SECRET = 'sandbox-sms-secret';

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let stack: Stack;
let admin: Api;
let agencyAdmin: Api;
let caseworker: Api;
let otherCaseworker: Api;
let printService: Api;
let stranger: Api;
let examples: any;
const citizens = new Map<string, Api>();

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);

async function citizen(nationalNumber: string): Promise<Api> {
  if (!citizens.has(nationalNumber)) citizens.set(nationalNumber, stack.api.as(await stack.token({ role: 'citizen', nationalNumber, sub: `citizen-${nationalNumber}` })));
  return citizens.get(nationalNumber)!;
}

async function startJourneyFor(nationalNumber: string): Promise<string> {
  const res = await admin.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: nationalNumber }, reason: 'notification test' }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return res.body.id;
}

const personOf = (nn: string) => sandbox('GET', `/_sandbox/population/persons/${nn}`);

/** The SMS gateway's headers: a report id, the time of signing, and the HMAC over both and the body. */
const signed = (body: string, secret = SMS_SECRET, { reportId = randomUUID(), at = Date.now() } = {}) => {
  const timestamp = String(Math.floor(at / 1000));
  return {
    'x-report-id': reportId,
    'x-timestamp': timestamp,
    'x-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${reportId}.${body}`).digest('hex')}`,
  };
};

beforeAll(async () => {
  db = await createTestDatabase('e2e_notify_api');
  stack = await startStack(db.url, 'notify-api', { dispatcher: true });
  ds = createDataSource(db.url);
  await ds.initialize();
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  agencyAdmin = stack.api.as(await stack.token({ role: 'agency-admin', agency, sub: 'agency-admin-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-1' }));
  otherCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: otherAgency, sub: 'cw-2' }));
  printService = stack.api.as(await stack.token({ role: 'print-service', sub: 'print-shop-1' }));
  stranger = await citizen(STRANGER);
  examples = await sandbox('GET', '/_sandbox/population/examples');

  for (const code of [agency, otherAgency]) expect((await admin.post('/agencies', { code, names: titles(code) })).status).toBe(201);
  const step = await admin.post(`/agencies/${agency}/steps`, { key: 'hand-in', kind: 'citizen', titles: titles('Bewijs bezorgen'), serviceNorm: { target: 'P14D' } });
  expect(step.status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps/hand-in/versions/1/publish`)).status).toBe(200);
  expect((await admin.post('/life-events', { key: lifeEvent, audience: 'citizen', titles: titles('Bewijs indienen'), nodes: [{ key: 'hand-in', step: { agency, key: 'hand-in', version: 1 } }] })).status).toBe(201);
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy();
  await db?.drop();
});

describe('templates', () => {
  test('an unknown placeholder or category is refused with every problem at its pointer; nothing is stored', async () => {
    const placeholder = expectProblem(
      await agencyAdmin.post('/notification-templates', { category: 'action.needed', language: 'nl', subject: 'Nodig: {{journeyTitle}}', body: 'Beste {{recipientName}}, {{iban}} {{link}}', sms: '{{link}} {{pin}}' }),
      422,
    );
    expect(placeholder.errors).toEqual([
      { path: '/body', message: expect.stringMatching(/unknown placeholder \{\{iban\}\}.*\{\{journeyTitle\}\}/) },
      { path: '/sms', message: expect.stringContaining('{{pin}}') },
    ]);
    expect(placeholder.detail).toContain('nothing was stored');

    const category = await agencyAdmin.post('/notification-templates', { category: 'journey.exploded', language: 'xx', subject: 'x', body: 'x', sms: 'x' });
    const problem = expectProblem(category, 422);
    expect(problem.errors!.map((e) => e.path)).toEqual(['/category', '/language']);
    expect(problem.errors![0].message).toContain('journey.started');
    expect((category.body as any).categories).toEqual(expect.arrayContaining(['journey.started', 'action.needed', 'decision.made']));

    expect(expectProblem(await agencyAdmin.post('/notification-templates', { category: 'journey.started', language: 'nl', subject: 'x' }), 400).errors!.map((e) => e.path).sort()).toEqual(['/body', '/sms']);
    expectProblem(await caseworker.post('/notification-templates', { category: 'journey.started', language: 'nl', subject: 'x', body: 'x', sms: 'x' }), 403);
    expectProblem(await stranger.post('/notification-templates', { category: 'journey.started', language: 'nl', subject: 'x', body: 'x', sms: 'x' }), 403);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM notification_templates`);
    expect(n).toBe(0);
  });

  test('versions count up, also when registered at once; the newest is in force and used for the next e-mail', async () => {
    const body = (marker: string) => ({ category: 'journey.started', language: 'nl', subject: `${marker} {{journeyTitle}}`, body: `Dag {{recipientName}}, ${marker}: {{journeyTitle}} ({{dossierNumber}}). {{link}}`, sms: `${marker} {{link}}` });
    // Messages about the journey as a whole are told in no agency's name: global templates, by catalog admins.
    const together = await Promise.all([admin.post('/notification-templates', body('eerste')), admin.post('/notification-templates', body('tweede'))]);
    expect(together.map((r) => r.status)).toEqual([201, 201]);
    expect(together.map((r) => r.body.version).sort()).toEqual([1, 2]);
    const marker = `Nieuw-${run}`;
    const third = await admin.post('/notification-templates', body(marker));
    expect(third.status).toBe(201);
    expect(third.headers.get('location')).toBe('/notification-templates/journey.started/nl');
    expect(third.body).toMatchObject({ category: 'journey.started', language: 'nl', version: 3, source: 'registered', scope: 'global', agency: null, active: true, createdBy: 'admin-1' });

    const list = await caseworker.get('/notification-templates?category=journey.started&language=nl');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: any) => [t.source, t.version, t.active])).toEqual([
      ['default', null, false],
      ['registered', 1, false],
      ['registered', 2, false],
      ['registered', 3, true],
    ]);
    const all = await admin.get('/notification-templates');
    // A default per message category (MESSAGE_CATEGORIES: the legal clock's, objections' and supervisors' too) and language.
    expect(all.body.items.filter((t: any) => t.source === 'default')).toHaveLength(Object.keys(MESSAGE_CATEGORIES).length * 4);
    const active = await admin.get('/notification-templates/journey.started/nl');
    expect(active.body).toMatchObject({ version: 3, subject: `${marker} {{journeyTitle}}`, fields: expect.arrayContaining(['journeyTitle', 'link', 'nextSteps']) });
    expect((await admin.get('/notification-templates/journey.started/fr')).body).toMatchObject({ source: 'default', version: null });
    expect(expectProblem(await admin.get('/notification-templates/journey.exploded/nl'), 404).detail).toContain('action.needed');
    expectProblem(await admin.get('/notification-templates?category=nope'), 400);

    const nn: string = examples.flemishCouple.parents[0];
    const email: string = (await personOf(nn)).contact.email;
    const journeyId = await startJourneyFor(nn);
    const mail = await pollUntil(
      'the e-mail with the registered text',
      // The request for the step (action.needed) names the journey too.
      async () => (await sandbox('GET', `/_sandbox/mail?to=${encodeURIComponent(email)}`)).messages.find((m: any) => m.text?.includes(journeyId) && !m.subject.includes('Bewijs bezorgen')),
      { timeoutMs: 60_000 },
    );
    expect(mail.subject).toBe(`${marker} Bewijs indienen`);
    expect(mail.text).toContain(`${marker}: Bewijs indienen (${journeyId}). ${stack.gatewayUrl}/journeys/${journeyId}`);
  });
});

test('a registered template applies to the next message at once; a message sent before still reads as it was sent', async () => {
  // The dispatcher keeps its templates for ten minutes here: only the registration's notice can make it read them again.
  await stack.dispatcher!.stop();
  await stack.restartDispatcher({ DISPATCHER_TEMPLATE_CACHE_MS: '600000' });
  const nn: string = examples.flemishCouple.parents[1];
  const email: string = (await personOf(nn)).contact.email;
  const register = async (marker: string) => {
    const res = await admin.post('/notification-templates', {
      category: 'journey.started',
      language: 'nl',
      subject: `${marker} {{journeyTitle}}`,
      body: `Dag {{recipientName}}, ${marker}: {{journeyTitle}}. {{link}}`,
      sms: `${marker} {{link}}`,
    });
    expect(res.status).toBe(201);
    return res.body.version as number;
  };
  const mailAbout = (journeyId: string) =>
    pollUntil(
      `the e-mail about the start of ${journeyId}`,
      async () => (await sandbox('GET', `/_sandbox/mail?to=${encodeURIComponent(email)}`)).messages.find((m: any) => m.text?.includes(journeyId) && !m.subject.includes('Bewijs bezorgen')),
      { timeoutMs: 60_000 },
    );
  const before = `Voordien-${run}`;
  const after = `Nadien-${run}`;

  const v1 = await register(before);
  const first = await startJourneyFor(nn);
  expect((await mailAbout(first)).subject).toBe(`${before} Bewijs indienen`);
  // The dispatcher now holds v1; v2 is registered and the next message is started at once.
  const v2 = await register(after);
  expect(v2).toBe(v1 + 1);
  const second = await startJourneyFor(nn);
  const secondMail = await mailAbout(second);
  expect(secondMail.subject).toBe(`${after} Bewijs indienen`);
  expect(secondMail.text).toContain(`${after}: Bewijs indienen.`);

  // The citizen reads the first message with v1's text, the second with v2's.
  const me = await citizen(nn);
  const started = await pollUntil('both messages about the start', async () => {
    const items = (await me.get('/me/notifications')).body.items?.filter((n: any) => n.category === 'journey.started') ?? [];
    const byJourney = Object.fromEntries(items.map((n: any) => [n.journeyId, n]));
    return byJourney[first] && byJourney[second] ? byJourney : undefined;
  });
  expect(started[first]).toMatchObject({ subject: `${before} Bewijs indienen`, text: expect.stringContaining(`${before}: Bewijs indienen. ${stack.gatewayUrl}/journeys/${first}`) });
  expect(started[first].text).not.toContain(after);
  expect(started[second]).toMatchObject({ subject: `${after} Bewijs indienen`, text: expect.stringContaining(`${after}: Bewijs indienen.`) });

  // The journey's deliveries for caseworkers: the text each went out with and the template version.
  const view = (await caseworker.get(`/journeys/${first}/notifications`)).body;
  const deliveries = view.notifications.find((n: any) => n.category === 'journey.started').deliveries;
  expect(deliveries.find((d: any) => d.channel === 'email')).toMatchObject({
    subject: `${before} Bewijs indienen`,
    text: expect.stringContaining(`${before}: Bewijs indienen.`),
    templateVersion: v1,
    renderedAt: expect.any(String),
  });
});

describe('a citizen', () => {
  let journeyId: string;
  let person: string;
  let partner: string;

  beforeAll(async () => {
    [person, partner] = examples.brusselsCouple.parents;
    // The partner represents the person: they get copies.
    await ds.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source) VALUES ($1, 'person', $2, 'representative', 'test')`, [partner, person]);
    journeyId = await startJourneyFor(person);
  });

  test('reads their messages in their language, newest first, and marks one read; a stranger gets 404', async () => {
    const me = await citizen(person);
    const items = await pollUntil(
      'both messages of the journey',
      async () => {
        const res = await me.get('/me/notifications');
        const mine = res.body.items?.filter((n: any) => n.journeyId === journeyId) ?? [];
        return mine.length === 2 ? mine : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(items.map((n: any) => n.category)).toEqual(['action.needed', 'journey.started']);
    expect(new Date(items[0].createdAt).getTime()).toBeGreaterThanOrEqual(new Date(items[1].createdAt).getTime());
    const [request, started] = items;
    expect(request).toMatchObject({ as: 'subject', about: { type: 'person', id: person }, language: 'fr', actionNeeded: true, read: false, categoryTitle: 'Nous avons besoin de vous' });
    expect(request.subject).toBe('Nous avons besoin de vous : Bewijs bezorgen (fr)');
    expect(request.text).toContain(`${stack.gatewayUrl}/journeys/${journeyId}`);
    expect(started.subject).toBe('Votre dossier « Bewijs indienen (fr) » a démarré');
    expect(request.channels).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'ecounter' })]));
    // Another language on request.
    expect((await me.get('/me/notifications?lang=en&limit=1')).body.items[0].subject).toBe('We need something from you: Bewijs bezorgen (en)');

    // Pages: one at a time, no repeats.
    const first = await me.get('/me/notifications?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await me.get(`/me/notifications?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((n: any) => n.id)).toEqual([started.id]);
    expectProblem(await me.get('/me/notifications?cursor=garbage'), 400);

    const read = await me.post(`/me/notifications/${request.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: request.id, read: true, readAt: expect.any(String) });
    const again = await me.post(`/me/notifications/${request.id}/read`);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await me.get('/me/notifications')).body.items.find((n: any) => n.id === request.id)).toMatchObject({ read: true });
    const [{ unread }] = await ds.query(`SELECT count(*)::int AS unread FROM notification_deliveries d WHERE notification_id = $1 AND recipient_id = $2 AND NOT EXISTS (SELECT 1 FROM delivery_reads r WHERE r.delivery_id = d.id) AND status <> 'expired'`, [request.id, person]);
    expect(unread).toBe(0);

    expectProblem(await stranger.post(`/me/notifications/${request.id}/read`), 404);
    expectProblem(await stranger.post('/me/notifications/not-a-uuid/read'), 404);
    expect((await stranger.get('/me/notifications')).body.items).toEqual([]);
    expectProblem(await caseworker.get('/me/notifications'), 403);

    // The representative's copy: theirs to read, about the person; their read is their own.
    const copy = await pollUntil('the copy for the representative', async () => {
      const res = await (await citizen(partner)).get('/me/notifications');
      return res.body.items?.find((n: any) => n.journeyId === journeyId && n.category === 'action.needed');
    }, { timeoutMs: 60_000 });
    expect(copy).toMatchObject({ as: 'mandate', about: { type: 'person', id: person }, read: false });
  });

  test('preferences: read with what the register filled in, and changed with every problem listed per field', async () => {
    const me = await citizen(person);
    const registered = await personOf(person);
    const before = await pollUntil('the register read', async () => {
      const res = await me.get('/me/preferences');
      return res.body.register ? res.body : undefined;
    });
    expect(before).toMatchObject({ subject: { type: 'person', id: person }, language: 'fr', email: registered.contact.email, channelsChosen: false, mandateCopies: true });
    expect(before.prefilled).toEqual(expect.arrayContaining(['language', 'email', 'postalAddress']));
    expect(before.channels).toEqual(expect.arrayContaining(['ecounter', 'email']));

    const bad = expectProblem(
      await me.put('/me/preferences', { language: 'xx', channels: ['email', 'pigeon', 'email'], email: 'not-an-address', phone: '0470 12 34 56', postalAddress: { street: '', postalCode: '!', municipality: 'Gent' }, mandateCopies: 'yes', colour: 'red' }),
      400,
    );
    expect([...new Set(bad.errors!.map((e) => e.path))].sort()).toEqual(['/channels', '/colour', '/email', '/language', '/mandateCopies', '/phone', '/postalAddress/postalCode', '/postalAddress/street']);
    expect(bad.errors!.find((e) => e.path === '/phone')!.message).toContain('E.164');
    expect(expectProblem(await me.put('/me/preferences', { channels: [] }), 400).errors).toEqual([{ path: '/channels', message: expect.stringContaining('at least one') }]);
    // Nothing changed.
    expect((await me.get('/me/preferences')).body).toMatchObject({ language: 'fr', channelsChosen: false });

    const put = await me.put('/me/preferences', { language: 'en', channels: ['ecounter', 'email'], email: 'new.address@example.org', mandateCopies: false });
    expect(put.status).toBe(200);
    const after = (await me.get('/me/preferences')).body;
    expect(after).toMatchObject({ language: 'en', channels: ['ecounter', 'email'], channelsChosen: true, email: 'new.address@example.org', mandateCopies: false });
    expect(after.prefilled).not.toContain('email');
    expect(after.prefilled).not.toContain('language');
    expect(after.register.email).toBe(registered.contact.email);

    // Back to the register's address by leaving it out.
    const reset = await me.put('/me/preferences', { channels: ['email'] });
    expect(reset.body).toMatchObject({ language: 'fr', email: registered.contact.email, channels: ['email'] });
    expect(reset.body.prefilled).toEqual(expect.arrayContaining(['language', 'email']));

    // Someone the engine never wrote to: defaults, nothing prefilled; an SMS channel needs a number.
    expect((await stranger.get('/me/preferences')).body).toMatchObject({ language: 'nl', prefilled: [], register: null });
    expect(expectProblem(await stranger.put('/me/preferences', { channels: ['ecounter', 'sms'] }), 422).errors).toEqual([{ path: '/channels/1', message: expect.stringContaining('phone') }]);
    expect((await stranger.put('/me/preferences', { channels: ['ecounter', 'sms'], phone: '+32470123456' })).status).toBe(200);
  });
});

describe('caseworkers, the SMS gateway and the print service', () => {
  let journeyId: string;
  let person: string;

  beforeAll(async () => {
    person = examples.personWithPhoneOnly;
    journeyId = await startJourneyFor(person);
  });

  test("a caseworker sees every delivery of a journey's messages, with an SMS delivered through the signed report; a forged report changes nothing", async () => {
    const view = await pollUntil(
      'the SMS delivered',
      async () => {
        const res = await caseworker.get(`/journeys/${journeyId}/notifications`);
        const sms = res.body.notifications?.flatMap((n: any) => n.deliveries).find((d: any) => d.channel === 'sms');
        return sms?.status === 'delivered' ? res.body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const phone: string = (await personOf(person)).contact.phone;
    const byCategory = Object.fromEntries(view.notifications.map((n: any) => [n.category, n]));
    expect(Object.keys(byCategory).sort()).toEqual(['action.needed', 'journey.started']);
    const sms = byCategory['action.needed'].deliveries.find((d: any) => d.channel === 'sms');
    expect(sms).toMatchObject({
      recipient: { type: 'person', id: person },
      relation: 'subject',
      status: 'delivered',
      attempts: 1,
      providerRef: expect.stringMatching(/^sms-\d+$/),
      sentAt: expect.any(String),
      deliveredAt: expect.any(String),
    });
    expect(sms.address).toBe(`${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`);
    expect(sms.lastError).toBeUndefined();
    // The gateway's own record: the report reached us at the first attempt.
    const [sent] = (await sandbox('GET', `/_sandbox/sms?to=${encodeURIComponent(phone)}`)).messages;
    expect(sent).toMatchObject({ id: sms.providerRef, reference: sms.id, callback: { delivered: true, lastResult: '200' } });
    // No e-mail, no SMS for a message that asks nothing: the start goes out on paper.
    expect(byCategory['journey.started'].deliveries.map((d: any) => d.channel).sort()).toEqual(['ecounter', 'letter']);
    expect(view.dossierStatus.length).toBeGreaterThan(0);
    expect(view.dossierStatus[0]).toMatchObject({ seq: expect.any(Number), status: expect.any(String) });

    // Access: that of the journey.
    expect((await (await citizen(person)).get(`/journeys/${journeyId}/notifications`)).status).toBe(200);
    expectProblem(await otherCaseworker.get(`/journeys/${journeyId}/notifications`), 404);
    expectProblem(await stranger.get(`/journeys/${journeyId}/notifications`), 404);

    // A forged report (wrong secret, or none) is refused and changes nothing.
    const forged = JSON.stringify({ id: sms.providerRef, reference: sms.id, status: 'failed', at: new Date().toISOString(), error: 'forged' });
    const refused = expectProblem(await stack.api.post('/callbacks/sms', forged, signed(forged, 'not-the-secret')), 401);
    expect(refused.detail).toContain('X-Signature');
    expectProblem(await stack.api.post('/callbacks/sms', forged), 401);
    const tampered = forged.replace('forged', 'tampered');
    expectProblem(await stack.api.post('/callbacks/sms', tampered, signed(forged)), 401);
    // Signed over the body alone (the former format), or longer than 5 minutes ago: refused too.
    const bodyOnly = { 'x-report-id': randomUUID(), 'x-timestamp': String(Math.floor(Date.now() / 1000)), 'x-signature': `sha256=${createHmac('sha256', SMS_SECRET).update(forged).digest('hex')}` };
    expectProblem(await stack.api.post('/callbacks/sms', forged, bodyOnly), 401);
    const stale = expectProblem(await stack.api.post('/callbacks/sms', forged, signed(forged, SMS_SECRET, { at: Date.now() - 6 * 60_000 })), 401);
    expect(stale).toMatchObject({ type: 'https://levensloop.dev/problems/stale-signature' });
    expectProblem(await stack.api.post('/callbacks/sms', forged, signed(forged, SMS_SECRET, { at: Date.now() + 5 * 60_000 })), 401);
    const [row] = await ds.query(`SELECT status, last_error, delivered_at FROM notification_deliveries WHERE id = $1`, [sms.id]);
    expect(row).toMatchObject({ status: 'delivered', last_error: null });
    // The sandbox's genuine report was remembered by its id.
    const reports = await ds.query(`SELECT report_id, status FROM sms_delivery_reports WHERE delivery_id = $1`, [sms.id]);
    expect(reports).toEqual([{ report_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'delivered' }]);
    // That report replayed as captured, and a report reusing its id: recognised, nothing changes.
    const replayedId = reports[0].report_id;
    const captured = JSON.stringify({ id: sms.providerRef, reference: sms.id, status: 'failed', at: new Date().toISOString(), error: 'replayed id' });
    const sameId = signed(captured, SMS_SECRET, { reportId: replayedId });
    for (let i = 0; i < 2; i++) {
      expect((await stack.api.post('/callbacks/sms', captured, sameId)).body).toEqual({ delivery: sms.id, status: 'delivered', changed: false });
    }
    expect(await ds.query(`SELECT count(*)::int AS n FROM sms_delivery_reports WHERE delivery_id = $1`, [sms.id])).toEqual([{ n: 1 }]);

    // The genuine report again: nothing changes. A genuine failure cannot undo a delivery either.
    const replay = JSON.stringify({ id: sms.providerRef, reference: sms.id, status: 'delivered', at: new Date().toISOString() });
    expect((await stack.api.post('/callbacks/sms', replay, signed(replay))).body).toEqual({ delivery: sms.id, status: 'delivered', changed: false });
    const late = JSON.stringify({ id: sms.providerRef, reference: sms.id, status: 'failed', at: new Date().toISOString(), error: 'late' });
    expect((await stack.api.post('/callbacks/sms', late, signed(late))).body).toMatchObject({ status: 'delivered', changed: false });
    const [unchanged] = await ds.query(`SELECT status, delivered_at FROM notification_deliveries WHERE id = $1`, [sms.id]);
    expect(unchanged).toEqual({ status: 'delivered', delivered_at: row.delivered_at });
    const unknown = JSON.stringify({ id: 'sms-999999', reference: randomUUID(), status: 'delivered', at: new Date().toISOString() });
    expectProblem(await stack.api.post('/callbacks/sms', unknown, signed(unknown)), 404);
    const malformed = JSON.stringify({ id: sms.providerRef, status: 'lost' });
    expect(expectProblem(await stack.api.post('/callbacks/sms', malformed, signed(malformed)), 400).errors!.map((e) => e.path)).toEqual(['/status', '/at']);
  });

  test('letters: the print queue of the print service, the PDF for the addressee, printed once', async () => {
    const letter = await pollUntil(
      'the letter in the print queue',
      async () => (await printService.get('/letters?printed=false')).body.items?.find((l: any) => l.journeyId === journeyId),
      { timeoutMs: 60_000 },
    );
    expect(letter).toMatchObject({ recipientId: person, category: 'journey.started', language: 'nl', link: `${stack.gatewayUrl}/journeys/${journeyId}`, pdf: `/letters/${letter.id}` });
    expect((await caseworker.get('/letters?printed=false')).body.items.map((l: any) => l.id)).toContain(letter.id);
    expect((await otherCaseworker.get('/letters')).body.items.map((l: any) => l.id)).not.toContain(letter.id);
    expectProblem(await stranger.get('/letters'), 403);
    // Catalog admins manage the catalog; they are not the print service.
    expectProblem(await admin.get('/letters'), 403);

    const pdf = async (api: Api) => fetch(`${stack.gatewayUrl}/letters/${letter.id}`, { headers: { authorization: `Bearer ${api.token}` } });
    for (const reader of [await citizen(person), printService, caseworker]) {
      const res = await pdf(reader);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    for (const outsider of [stranger, otherCaseworker, admin]) {
      const res = await pdf(outsider);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    // The addressee finds it from their message.
    const mine = (await (await citizen(person)).get('/me/notifications')).body.items;
    expect(mine.find((n: any) => n.category === 'journey.started' && n.journeyId === journeyId)).toMatchObject({ letterId: letter.id });

    expectProblem(await (await citizen(person)).post(`/letters/${letter.id}/printed`), 403);
    expectProblem(await admin.post(`/letters/${letter.id}/printed`), 403);
    const printed = await printService.post(`/letters/${letter.id}/printed`);
    expect(printed.status).toBe(200);
    expect(printed.body.printedAt).toEqual(expect.any(String));
    expect((await caseworker.post(`/letters/${letter.id}/printed`)).body.printedAt).toBe(printed.body.printedAt);
    expect((await printService.get('/letters?printed=false')).body.items.map((l: any) => l.id)).not.toContain(letter.id);
    expect((await printService.get('/letters?printed=true')).body.items.map((l: any) => l.id)).toContain(letter.id);
    expectProblem(await printService.get('/letters?printed=maybe'), 400);
    expectProblem(await printService.post(`/letters/${randomUUID()}/printed`), 404);
    // The print service sees letters, not journeys.
    expectProblem(await printService.get(`/journeys/${journeyId}/notifications`), 404);
    expectProblem(await printService.get('/notification-templates'), 403);
  });
});

describe("a journey about a child, with both parents told: each parent sees only their own deliveries", () => {
  let journeyId: string;
  let child: string;
  let parentA: string;
  let parentB: string;

  beforeAll(async () => {
    [parentA, parentB] = examples.walloonCouple.parents;
    child = examples.walloonCouple.children[0];
    for (const parent of [parentA, parentB]) {
      await ds.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source) VALUES ($1, 'person', $2, 'parent', 'test')`, [parent, child]);
    }
    journeyId = await startJourneyFor(child);
  });

  test('the caseworker (and an auditor) sees every recipient; parent A only the deliveries to parent A, parent B only theirs', async () => {
    const recipientsOf = (view: any) => new Set<string>(view.notifications.flatMap((n: any) => n.deliveries.map((d: any) => d.recipient.id)));
    const full = await pollUntil(
      'the deliveries to the child and both parents',
      async () => {
        const res = await caseworker.get(`/journeys/${journeyId}/notifications`);
        const fannedOut = res.body.notifications?.length === 2 && res.body.notifications.every((n: any) => n.fannedOutAt);
        // The journey waits for the citizen now; once its dossier pushes are settled the views below cannot differ by timing.
        const pushed = res.body.dossierStatus?.length > 0 && res.body.dossierStatus.every((d: any) => d.status !== 'pending');
        return fannedOut && pushed && recipientsOf(res.body).has(parentA) && recipientsOf(res.body).has(parentB) ? res.body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(full.scope).toBe('journey');
    expect([...recipientsOf(full)].sort()).toEqual([child, parentA, parentB].sort());
    const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
    const audited = (await auditor.get(`/journeys/${journeyId}/notifications`)).body;
    expect(audited.scope).toBe('journey');
    expect([...recipientsOf(audited)].sort()).toEqual([child, parentA, parentB].sort());

    for (const [parent, other] of [
      [parentA, parentB],
      [parentB, parentA],
    ]) {
      const res = await (await citizen(parent)).get(`/journeys/${journeyId}/notifications`);
      expect(res.status).toBe(200);
      expect(res.body.scope).toBe('own');
      const deliveries = res.body.notifications.flatMap((n: any) => n.deliveries);
      const theirs = full.notifications.flatMap((n: any) => n.deliveries).filter((d: any) => d.recipient.id === parent);
      expect(deliveries.map((d: any) => d.id).sort()).toEqual(theirs.map((d: any) => d.id).sort());
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((d: any) => d.recipient.id === parent && d.relation === 'mandate')).toBe(true);
      expect(JSON.stringify(res.body)).not.toContain(other);
      // The dossier pushes stay visible to whoever may see the journey.
      expect(res.body.dossierStatus).toEqual(full.dossierStatus);
    }
    // Someone who may not see the journey still gets nothing.
    expectProblem(await stranger.get(`/journeys/${journeyId}/notifications`), 404);
  });
});

describe('preferences offer only the channels that reach the person', () => {
  test('without e-mail or phone: no e-mail or SMS offered, each with why; with a phone only: SMS but no e-mail; what GET offers, PUT accepts', async () => {
    const withoutContact: string = examples.personWithoutContact;
    const phoneOnly: string = examples.personWithPhoneOnly;
    await startJourneyFor(withoutContact);
    const registerRead = (nn: string) =>
      pollUntil(`the register read for ${nn}`, async () => {
        const res = await (await citizen(nn)).get('/me/preferences');
        return res.body.register ? res.body : undefined;
      }, { timeoutMs: 60_000 });

    const none = await registerRead(withoutContact);
    // Every person in the sandbox's register has a postal address: a letter reaches them.
    expect(none.postalAddress).toEqual(expect.objectContaining({ postalCode: expect.any(String) }));
    expect(none).toMatchObject({ email: null, phone: null, channelsChosen: false, channels: ['ecounter', 'letter'], available: ['ecounter', 'letter'] });
    expect(none.unavailable).toEqual([
      { channel: 'email', reason: expect.stringContaining('e-mail') },
      { channel: 'sms', reason: expect.stringContaining('phone') },
    ]);
    expect((await (await citizen(withoutContact)).put('/me/preferences', { channels: none.available })).status).toBe(200);
    expectProblem(await (await citizen(withoutContact)).put('/me/preferences', { channels: ['ecounter', 'email'] }), 422);

    const phone = await registerRead(phoneOnly);
    expect(phone.available).toEqual(['ecounter', 'sms', 'letter']);
    expect(phone.channels).not.toContain('email');
    expect(phone.unavailable).toEqual([{ channel: 'email', reason: expect.stringContaining('email') }]);

    // Nobody known at all (the register was never read): no letter either.
    const unknown = (await (await citizen('90010100345')).get('/me/preferences')).body;
    expect(unknown).toMatchObject({ register: null, postalAddress: null, channels: ['ecounter'], available: ['ecounter'] });
    expect(unknown.unavailable.map((u: any) => u.channel)).toEqual(['email', 'sms', 'letter']);
    expect(unknown.unavailable.find((u: any) => u.channel === 'letter').reason).toContain('postalAddress');
  });
});

describe('templates per agency', () => {
  const text = (marker: string) => ({ category: 'action.needed', language: 'nl', subject: `${marker} {{stepTitle}}`, body: `${marker}: {{stepTitle}}. {{link}}`, sms: `${marker} {{link}}` });
  const templateRows = async () => (await ds.query(`SELECT count(*)::int AS n FROM notification_templates`))[0].n as number;

  test('an agency admin registers for its own agency only; global templates and other agencies are refused with 403, nothing stored', async () => {
    const before = await templateRows();
    expect(expectProblem(await agencyAdmin.post('/notification-templates', { ...text('x'), agency: null }), 403).detail).toContain('global templates are registered by catalog admins');
    expect(expectProblem(await agencyAdmin.post('/notification-templates', { ...text('x'), agency: otherAgency }), 403).detail).toContain(`cannot register templates for '${otherAgency}'`);
    // A message about the whole journey is told in no agency's name.
    expect(expectProblem(await agencyAdmin.post('/notification-templates', { ...text('x'), category: 'journey.completed', subject: 'x', body: 'x', sms: 'x' }), 422).errors).toEqual([
      { path: '/category', message: expect.stringContaining('journey.completed messages are about the journey as a whole') },
    ]);
    expect(expectProblem(await admin.post('/notification-templates', { ...text('x'), agency: 'no-such-agency' }), 422).errors).toEqual([
      { path: '/agency', message: expect.stringContaining("there is no agency 'no-such-agency'") },
    ]);
    expect(expectProblem(await admin.post('/notification-templates', { ...text('x'), agency: '' }), 400).errors).toEqual([{ path: '/agency', message: expect.stringContaining('null for the global template') }]);
    expect(await templateRows()).toBe(before);
  });

  test("a message caused by an agency's step uses that agency's template; another agency's step the global one (a catalog admin's), else the default", async () => {
    // One life event with a citizen step of each agency, both waiting at once.
    expect((await admin.post(`/agencies/${otherAgency}/steps`, { key: 'send-proof', kind: 'citizen', titles: titles('Ander bewijs'), serviceNorm: { target: 'P14D' } })).status).toBe(201);
    expect((await admin.post(`/agencies/${otherAgency}/steps/send-proof/versions/1/publish`)).status).toBe(200);
    const twoAgencies = `two-agencies-${run}`;
    const nodes = [
      { key: 'hand-in', step: { agency, key: 'hand-in', version: 1 } },
      { key: 'send-proof', step: { agency: otherAgency, key: 'send-proof', version: 1 } },
    ];
    expect((await admin.post('/life-events', { key: twoAgencies, audience: 'citizen', titles: titles('Twee diensten'), nodes })).status).toBe(201);
    expect((await admin.post(`/life-events/${twoAgencies}/versions/1/publish`)).status).toBe(200);
    const nn: string = examples.flemishCouple.parents[0];
    const me = await citizen(nn);
    let lastJourney = '';
    const requestsOf = async () => {
      const res = await admin.post('/journeys', { lifeEvent: { key: twoAgencies }, subject: { type: 'person', id: nn }, reason: 'notification test' }, { 'idempotency-key': randomUUID() });
      expect(res.status).toBe(201);
      const journeyId = res.body.id;
      const items = await pollUntil(
        `both requests of ${journeyId}`,
        async () => {
          const mine = ((await me.get('/me/notifications')).body.items ?? []).filter((n: any) => n.journeyId === journeyId && n.category === 'action.needed');
          return mine.length === 2 ? mine : undefined;
        },
        { timeoutMs: 60_000 },
      );
      lastJourney = journeyId;
      return items.map((n: any) => n.subject).sort();
    };

    const own = await agencyAdmin.post('/notification-templates', text(`Eigen-${run}`));
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ scope: 'agency', agency, source: 'registered', active: true, createdBy: 'agency-admin-1' });
    expect(own.headers.get('location')).toBe(`/notification-templates/action.needed/nl?agency=${agency}`);
    const [audit] = await ds.query(`SELECT detail FROM audit_log WHERE action = 'notification_template.registered' AND target_id = $1`, [`action.needed/nl/${own.body.version}`]);
    expect(audit.detail).toMatchObject({ scope: 'agency', agency, actorAgency: agency });

    // The other agency has no template of its own and there is no global one: the default.
    expect(await requestsOf()).toEqual([`Eigen-${run} Bewijs bezorgen`, 'Wij hebben iets van u nodig: Ander bewijs']);

    const global = await admin.post('/notification-templates', text(`Globaal-${run}`));
    expect(global.body).toMatchObject({ scope: 'global', agency: null, version: own.body.version + 1 });
    expect(await requestsOf()).toEqual([`Eigen-${run} Bewijs bezorgen`, `Globaal-${run} Ander bewijs`]);
    // Read in another language, rendered anew by the gateway with the same choice of template.
    expect((await agencyAdmin.post('/notification-templates', { ...text(`Own-${run}`), language: 'en' })).status).toBe(201);
    const inEnglish = ((await me.get('/me/notifications?lang=en')).body.items as any[]).filter((n) => n.journeyId === lastJourney && n.category === 'action.needed');
    expect(inEnglish.map((n) => n.subject).sort()).toEqual([`Own-${run} Bewijs bezorgen (en)`, 'We need something from you: Ander bewijs (en)']);

    // What is in force, per agency, with its scope.
    expect((await caseworker.get(`/notification-templates/action.needed/nl?agency=${agency}`)).body).toMatchObject({ scope: 'agency', agency, version: own.body.version });
    expect((await caseworker.get(`/notification-templates/action.needed/nl?agency=${otherAgency}`)).body).toMatchObject({ scope: 'global', agency: null, version: global.body.version });
    expect((await caseworker.get('/notification-templates/action.needed/nl')).body).toMatchObject({ scope: 'global', version: global.body.version });
    expectProblem(await caseworker.get('/notification-templates/action.needed/nl?agency=no-such-agency'), 404);
    const listed = async (q: string) =>
      (await caseworker.get(`/notification-templates?category=action.needed&language=nl${q}`)).body.items.map((t: any) => [t.source, t.scope, t.agency, t.active]);
    expect(await listed(`&agency=${agency}`)).toEqual([
      ['default', 'global', null, false],
      ['registered', 'agency', agency, true],
      ['registered', 'global', null, false],
    ]);
    expect(await listed(`&agency=${otherAgency}`)).toEqual([
      ['default', 'global', null, false],
      ['registered', 'global', null, true],
    ]);
    expect(await listed('')).toEqual([
      ['default', 'global', null, false],
      ['registered', 'agency', agency, true],
      ['registered', 'global', null, true],
    ]);
    expectProblem(await caseworker.get('/notification-templates?agency=no-such-agency'), 404);

    // A catalog admin may register on an agency's behalf: it is that agency's template.
    const onBehalf = await admin.post('/notification-templates', { ...text(`Namens-${run}`), agency: otherAgency });
    expect(onBehalf.body).toMatchObject({ scope: 'agency', agency: otherAgency });
    expect((await caseworker.get(`/notification-templates/action.needed/nl?agency=${otherAgency}`)).body).toMatchObject({ scope: 'agency', version: onBehalf.body.version });
  });
});

test('the OpenAPI document describes every notification route', async () => {
  const doc: any = await (await fetch(`${stack.gatewayUrl}/openapi.json`)).json();
  const routes: Array<[string, string]> = [
    ['/notification-templates', 'post'],
    ['/notification-templates', 'get'],
    ['/notification-templates/{category}/{language}', 'get'],
    ['/me/notifications', 'get'],
    ['/me/notifications/{id}/read', 'post'],
    ['/me/preferences', 'get'],
    ['/me/preferences', 'put'],
    ['/journeys/{id}/notifications', 'get'],
    ['/callbacks/sms', 'post'],
    ['/letters', 'get'],
    ['/letters/{id}', 'get'],
    ['/letters/{id}/printed', 'post'],
  ];
  for (const [route, method] of routes) {
    expect({ route, method, summary: doc.paths[route]?.[method]?.summary }).toEqual({ route, method, summary: expect.any(String) });
  }
  expect(Object.keys(doc.paths['/letters/{id}'].get.responses['200'].content)).toEqual(['application/pdf']);
  expect(doc.paths['/callbacks/sms'].post.parameters.map((p: any) => p.name)).toContain('X-Signature');
  // No bearer token on the callback: its signature authenticates it.
  expect((doc.paths['/callbacks/sms'].post.security ?? []).some((s: any) => 'bearer' in s)).toBe(false);
  expect(doc.paths['/me/notifications'].get.security).toEqual([{ bearer: [] }]);
  expect(doc.components.schemas.PreferencesDto.required).toEqual(['channels']);
  expect(doc.components.schemas.RegisterTemplateDto.required).toEqual(expect.arrayContaining(['category', 'language', 'subject', 'body', 'sms']));
  // Templates per agency: the scope is a field and a filter, and the refusals are documented.
  expect(doc.components.schemas.RegisterTemplateDto.properties.agency).toMatchObject({ type: 'string', nullable: true });
  expect(Object.keys(doc.paths['/notification-templates'].post.responses)).toEqual(expect.arrayContaining(['403', '422']));
  for (const route of ['/notification-templates', '/notification-templates/{category}/{language}']) {
    expect(doc.paths[route].get.parameters.map((p: any) => p.name)).toContain('agency');
    expect(Object.keys(doc.paths[route].get.responses)).toEqual(expect.arrayContaining(['403', '404']));
  }
});
