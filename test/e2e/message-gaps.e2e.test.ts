/**
 * The message gaps of issue 15, end to end (gateway, worker, dispatcher and sandbox as processes,
 * mail through the sandbox's SMTP server):
 * - a template registered for an objection's category is the text the objection's e-mail goes out with;
 * - a journey completed again after an objection revised its decision tells the citizen "complete
 *   again" (its own message), and after an upheld objection tells nothing more;
 * - an escalation e-mails the agency's supervisors (and the team's) in their language, once, with a
 *   link to the console's supervision page; the list of supervisors is kept per agency.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const agency = `payer-${run}`;
const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const LANGS = ['nl', 'fr', 'de', 'en'] as const;

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let stack: Stack;
let admin: Api, agencyAdmin: Api, otherAdmin: Api, auditor: Api, deciderCw: Api, colleagueCw: Api, citizen: Api, supervisor: Api;
let subject: string;
let email: string;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);
const mailbox = async (to: string): Promise<any[]> => (await sandbox('GET', `/_sandbox/mail?to=${encodeURIComponent(to)}`)).messages;

beforeAll(async () => {
  db = await createTestDatabase('e2e_message_gaps');
  stack = await startStack(db.url, 'message-gaps', { dispatcher: true });
  ds = createDataSource(db.url);
  await ds.initialize();
  const examples = await sandbox('GET', '/_sandbox/population/examples');
  subject = examples.flemishCouple.parents[1];
  email = (await sandbox('GET', `/_sandbox/population/persons/${subject}`)).contact.email;
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  agencyAdmin = stack.api.as(await stack.token({ role: 'agency-admin', agency, sub: 'aa-1' }));
  otherAdmin = stack.api.as(await stack.token({ role: 'agency-admin', agency: `other-${run}`, sub: 'aa-2' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  deciderCw = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-anna' }));
  colleagueCw = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-bert' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: subject, sub: 'citizen-1' }));
  supervisor = stack.api.as(await stack.token({ role: 'supervisor', agency, sub: 'sv-1' }));

  expect((await admin.post('/agencies', { code: agency, names: titles('Uitbetaler') })).status).toBe(201);
  const rule = {
    id: `benefit-${run}`,
    version: 1,
    branches: [{ when: { '==': [{ var: 'data.income' }, 'low'] }, outcome: 'grant', explanation: titles('Laag inkomen.') }],
    otherwise: { outcome: 'refer', explanation: titles('Een medewerker beslist.') },
  };
  const steps = [
    { key: 'benefit', kind: 'decision', titles: titles('Toelage'), serviceNorm: { target: 'P10D' }, rule, objection: { term: 'P30D' } },
    { key: 'pay', kind: 'caseworker', titles: titles('Betalen'), serviceNorm: { target: 'P10D' } },
    { key: 'inform', kind: 'caseworker', titles: titles('Informeren'), serviceNorm: { target: 'P10D' } },
    { key: 'intake', kind: 'caseworker', titles: titles('Intake'), serviceNorm: { target: 'PT2S', escalate: 'PT3S' }, team: 'intake' },
    { key: 'check', kind: 'caseworker', titles: titles('Controle'), serviceNorm: { target: 'PT2S', escalate: 'PT3S' } },
    // A decision without an objection term: its message names no remedy.
    { key: 'plain', kind: 'decision', titles: titles('Premie'), serviceNorm: { target: 'P10D' }, rule },
  ];
  for (const step of steps) {
    expect((await admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${step.key}/versions/1/publish`)).status).toBe(200);
  }
  const on = (result: string) => ({ '==': [{ var: 'steps.decide.outcome.result' }, result] });
  const lifeEvents = {
    [`support-${run}`]: [
      { key: 'decide', step: { agency, key: 'benefit', version: 1 }, optional: true },
      { key: 'pay', step: { agency, key: 'pay', version: 1 }, dependsOn: ['decide'], condition: on('approved') },
      { key: 'inform', step: { agency, key: 'inform', version: 1 }, dependsOn: ['decide'], condition: on('rejected') },
    ],
    [`plain-${run}`]: [{ key: 'decide', step: { agency, key: 'plain', version: 1 } }],
    [`late-${run}`]: [
      { key: 'intake', step: { agency, key: 'intake', version: 1 } },
      { key: 'check', step: { agency, key: 'check', version: 1 } },
    ],
  };
  for (const [key, nodes] of Object.entries(lifeEvents)) {
    expect((await admin.post('/life-events', { key, audience: 'citizen', titles: titles(key), nodes })).status).toBe(201);
    expect((await admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);
  }
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy();
  await db?.drop();
});

async function start(lifeEvent: string, data: Record<string, unknown> = {}): Promise<string> {
  const res = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: subject }, data }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const journeyStatus = async (id: string) => (await ds.query(`SELECT status FROM journeys WHERE id = $1`, [id]))[0]?.status;
const complete = async (api: Api, task: string, outcome = 'approve') => {
  await pollUntil(`task ${task} open`, async () => ['open', 'claimed'].includes((await ds.query(`SELECT status FROM tasks WHERE id = $1`, [task]))[0]?.status));
  expect((await api.post(`/tasks/${task}/complete`, { outcome, comment: 'done' })).status).toBe(200);
};
/** The e-mails of a journey's messages of a category, as the dispatcher sent them (stored text, Message-ID). */
const sentMails = (journey: string, category: string) =>
  ds.query(
    `SELECT d.id, d.subject, d.body, d.template_version, d.status, d.relation, d.address, d.language FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
      WHERE n.journey_id = $1 AND n.category = $2 AND d.channel = 'email' ORDER BY d.address`,
    [journey, category],
  ) as Promise<Array<{ id: string; subject: string; body: string; template_version: number | null; status: string; relation: string; address: string; language: string }>>;
const delivered = (journey: string, category: string, n = 1) =>
  pollUntil(`${n} e-mail(s) of ${category} delivered`, async () => {
    const rows = await sentMails(journey, category);
    return rows.length === n && rows.every((r) => r.status === 'delivered') ? rows : undefined;
  }, { timeoutMs: 90_000 });
/** Every message of the journey fanned out and nothing left to send: what was not sent by now is not sent. */
const settled = (journey: string) =>
  pollUntil(`the messages of ${journey} settled`, async () => {
    const [r] = await ds.query(
      `SELECT (SELECT count(*)::int FROM notifications WHERE journey_id = $1 AND fanned_out_at IS NULL)
            + (SELECT count(*)::int FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND d.channel = 'email' AND d.status NOT IN ('delivered', 'expired', 'permanent_failure')) AS open`,
      [journey],
    );
    return r.open === 0;
  }, { timeoutMs: 90_000 });

describe('objections: the registered template, and completing again', () => {
  let journey: string;
  const marker = `Bezwaar-${run}`;
  const versions: Record<string, number> = {};

  test('templates and the category filter take the objection and legal-clock categories', async () => {
    for (const category of ['objection.received', 'objection.decided', 'term.extended', 'information.requested', 'journey.completed_again', 'task.escalated']) {
      const list = await admin.get(`/notification-templates?category=${category}&language=en`);
      expect({ category, status: list.status }).toEqual({ category, status: 200 });
      expect(list.body.items[0]).toMatchObject({ category, source: 'default', active: true });
      expect((await admin.get(`/notification-templates/${category}/en`)).body).toMatchObject({ category, source: 'default', fields: expect.arrayContaining(['link']) });
    }
    expectProblem(await admin.get('/notification-templates?category=objection.nope'), 400);
    // An agency words the receipt of objections against its decisions itself, in the four languages.
    for (const language of LANGS) {
      const res = await agencyAdmin.post('/notification-templates', {
        category: 'objection.received',
        language,
        subject: `${marker} {{stepTitle}}`,
        body: `{{recipientName}}, ${marker}: {{stepTitle}} ({{dossierNumber}}), uiterlijk {{dueDate}}. {{link}}`,
        sms: `${marker} {{link}}`,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ category: 'objection.received', scope: 'agency', agency, fields: expect.arrayContaining(['dueDate']) });
      versions[language] = res.body.version;
    }
    // Its placeholders are checked against what the category provides.
    const bad = await agencyAdmin.post('/notification-templates', { category: 'objection.decided', language: 'en', subject: '{{nothing}}', body: '{{link}}', sms: '{{link}}' });
    expect(expectProblem(bad, 422).errors).toEqual([{ path: '/subject', message: expect.stringContaining('unknown placeholder {{nothing}}') }]);
  });

  test('the objection e-mail goes out with the registered template', async () => {
    journey = await start(`support-${run}`, { income: 'unknown' });
    await complete(deciderCw, `${journey}.decide`, 'reject');
    await complete(colleagueCw, `${journey}.inform`);
    await pollUntil('journey completed', async () => (await journeyStatus(journey)) === 'completed');
    const [first] = await delivered(journey, 'journey.completed');

    expect((await citizen.post(`/journeys/${journey}/decisions/decide/objections`, { reason: 'Mijn inkomen is laag sinds maart.' })).status).toBe(201);
    const [mail] = await delivered(journey, 'objection.received');
    expect(mail.subject).toBe(`${marker} Toelage${mail.language === 'nl' ? '' : ` (${mail.language})`}`);
    expect(mail.template_version).toBe(versions[mail.language]);
    const inbox = await mailbox(email);
    const received = inbox.find((m) => m.messageId === `<${mail.id}@levensloop.local>`);
    expect(received?.subject).toBe(mail.subject);
    expect(received?.text).toContain(`${marker}: `);
    expect(received?.text).toContain(journey);
    expect(inbox.filter((m) => m.messageId === `<${first.id}@levensloop.local>`)).toHaveLength(1);
  });

  test('a revised decision re-runs its dependants; the second completion is told as "complete again", once', async () => {
    const reviewed = await colleagueCw.post(`/journeys/${journey}/decisions/decide/objection/review`, { verdict: 'grant', explanation: { nl: 'Uw loonbrieven tonen een laag inkomen.', en: 'Your payslips show a low income.' } });
    expect(reviewed.status).toBe(200);
    await complete(colleagueCw, `${journey}.pay`);
    await pollUntil('journey completed again', async () => {
      const events = await ds.query(`SELECT detail FROM journey_events WHERE journey_id = $1 AND type = 'journey.completed' ORDER BY seq`, [journey]);
      return events.length === 2 && (await journeyStatus(journey)) === 'completed' ? events : undefined;
    });
    const [again] = await delivered(journey, 'journey.completed_again');
    expect(again.subject).toMatch(/opnieuw afgerond|à nouveau clôturé|erneut abgeschlossen|complete again/);
    expect(again.body).toMatch(/herziene beslissing|décision revue|geänderten Entscheidung|revised decision/);
    const received = (await mailbox(email)).filter((m) => m.messageId === `<${again.id}@levensloop.local>`);
    expect(received.map((m) => m.subject)).toEqual([again.subject]);
    await settled(journey);
    // "Complete" itself was told once: the first time.
    expect(await sentMails(journey, 'journey.completed')).toHaveLength(1);
    const told = await ds.query(`SELECT category FROM notifications WHERE journey_id = $1 AND category LIKE 'journey.completed%' ORDER BY event_seq`, [journey]);
    expect(told.map((r: { category: string }) => r.category)).toEqual(['journey.completed', 'journey.completed_again']);
    // The citizen reads it in their messages under its own title.
    const mine = (await citizen.get('/me/notifications?lang=en')).body.items.filter((n: any) => n.journeyId === journey).map((n: any) => [n.category, n.categoryTitle]);
    expect(mine).toContainEqual(['journey.completed_again', 'Your file is complete again']);
  });

  test('after an upheld objection the journey completes again without telling "complete" once more', async () => {
    const upheld = await start(`support-${run}`, { income: 'unknown' });
    await complete(deciderCw, `${upheld}.decide`, 'reject');
    await complete(colleagueCw, `${upheld}.inform`);
    await pollUntil('journey completed', async () => (await journeyStatus(upheld)) === 'completed');
    await delivered(upheld, 'journey.completed');
    expect((await citizen.post(`/journeys/${upheld}/decisions/decide/objections`, { reason: 'Ik ben het niet eens.' })).status).toBe(201);
    await pollUntil('journey running again', async () => (await journeyStatus(upheld)) === 'running');
    expect((await colleagueCw.post(`/journeys/${upheld}/decisions/decide/objection/review`, { verdict: 'uphold', explanation: { nl: 'Uw inkomen is te hoog.' } })).status).toBe(200);
    await pollUntil('journey completed again', async () => {
      const [r] = await ds.query(`SELECT count(*)::int AS n FROM journey_events WHERE journey_id = $1 AND type = 'journey.completed'`, [upheld]);
      return r.n === 2 && (await journeyStatus(upheld)) === 'completed';
    });
    await delivered(upheld, 'objection.decided');
    await settled(upheld);
    const told = await ds.query(`SELECT category FROM notifications WHERE journey_id = $1 AND category LIKE 'journey.completed%'`, [upheld]);
    expect(told.map((r: { category: string }) => r.category)).toEqual(['journey.completed']);
    expect(await sentMails(upheld, 'journey.completed')).toHaveLength(1);
  });
});

describe('a decision names its remedy', () => {
  const LOCALE: Record<string, string> = { nl: 'nl-BE', fr: 'fr-BE', de: 'de-BE', en: 'en-GB' };
  const REMEDY = /bezwaar|réclamation|Widerspruch|object/i;
  const decided = async (journey: string) => {
    const [e] = await ds.query(`SELECT at, detail FROM journey_events WHERE journey_id = $1 AND type = 'step.decided'`, [journey]);
    return e as { at: Date; detail: Record<string, any> };
  };

  test('the e-mail of a decision whose step declares an objection term says until when and where to object', async () => {
    const journey = await start(`support-${run}`, { income: 'low' });
    const [mail] = await delivered(journey, 'decision.made');
    // The term end the workflow recorded with the decision: 30 days after it became final.
    const event = await decided(journey);
    expect(event.detail.remedy).toEqual({ kind: 'objection', until: new Date(new Date(event.at).getTime() + 30 * 86_400_000).toISOString() });
    const until = new Date(event.detail.remedy.until).toLocaleDateString(LOCALE[mail.language], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Brussels' });
    const received = (await mailbox(email)).find((m) => m.messageId === `<${mail.id}@levensloop.local>`);
    expect(received?.text).toContain(until);
    expect(received?.text).toMatch(REMEDY);
    expect(received?.text).toContain(`/journeys/${journey}`);
    expect(mail.body).toContain(until);
  });

  test('the e-mail of a decision without an objection term names none', async () => {
    const journey = await start(`plain-${run}`, { income: 'low' });
    const [mail] = await delivered(journey, 'decision.made');
    expect((await decided(journey)).detail).not.toHaveProperty('remedy');
    const received = (await mailbox(email)).find((m) => m.messageId === `<${mail.id}@levensloop.local>`);
    expect(received?.text).toMatch(/beslissing|décision|Entscheidung|decision/i);
    expect(received?.text).not.toMatch(REMEDY);
    expect(mail.body).not.toMatch(REMEDY);
  });
});

describe('escalation e-mails to supervisors', () => {
  const all = `sv-all-${run}@example.org`;
  const intake = `sv-intake-${run}@example.org`;
  const appeals = `sv-appeals-${run}@example.org`;

  test("an agency's admin keeps its supervisors; bad input is a clear problem", async () => {
    const path = `/agencies/${agency}/supervisors`;
    const list = {
      supervisors: [
        { email: all, name: 'An', language: 'en' },
        { email: intake, language: 'fr', teams: ['intake'] },
        { email: appeals, language: 'de', teams: ['appeals'] },
      ],
    };
    expectProblem(await otherAdmin.put(path, list), 403);
    expectProblem(await deciderCw.put(path, list), 403);
    expect(expectProblem(await agencyAdmin.put(path, { supervisors: [{ email: 'not-an-address', language: 'en' }] }), 400).errors?.[0].path).toBe('/supervisors/0/email');
    expect(expectProblem(await agencyAdmin.put(path, { supervisors: [{ email: all, language: 'xx' }] }), 400).errors?.[0].path).toBe('/supervisors/0/language');
    expect(expectProblem(await agencyAdmin.put(path, { supervisors: [{ email: all, language: 'en' }, { email: all.toUpperCase(), language: 'nl' }] }), 422).errors).toEqual([{ path: '/supervisors/1/email', message: 'listed twice' }]);
    expectProblem(await admin.put(`/agencies/nope-${run}/supervisors`, list), 404);

    const saved = await agencyAdmin.put(path, list);
    expect(saved.status).toBe(200);
    expect(saved.body.supervisors).toEqual([
      { email: all, name: 'An', language: 'en', teams: [] },
      { email: appeals, name: null, language: 'de', teams: ['appeals'] },
      { email: intake, name: null, language: 'fr', teams: ['intake'] },
    ]);
    expect((await supervisor.get(path)).body).toEqual(saved.body);
    expect((await auditor.get(`/audit?target=${agency}&action=agency.supervisors_set`)).body.items).toEqual([
      expect.objectContaining({ actor: 'aa-1', detail: expect.objectContaining({ supervisors: 3, teams: ['appeals', 'intake'] }) }),
    ]);
  });

  test("each escalation e-mails the agency's supervisors and its team's, in their language, once, with a link to the supervision page", async () => {
    const journey = await start(`late-${run}`);
    // Both steps escalate after 3 s: intake (team intake) and check (no team).
    const notices = await pollUntil('both escalations noticed', async () => {
      const rows = await ds.query(`SELECT node_key FROM supervisor_notices WHERE journey_id = $1 ORDER BY node_key`, [journey]);
      return rows.length === 2 ? rows : undefined;
    }, { timeoutMs: 60_000 });
    expect(notices.map((r: { node_key: string }) => r.node_key)).toEqual(['check', 'intake']);
    const mails = await delivered(journey, 'task.escalated', 3);
    expect(mails.map((m) => [m.address, m.relation, m.language])).toEqual([
      [all, 'supervisor', 'en'],
      [all, 'supervisor', 'en'],
      [intake, 'supervisor', 'fr'],
    ]);
    const toAll = await mailbox(all);
    expect(toAll.map((m) => m.subject).sort()).toEqual(['Escalation: Controle (en)', 'Escalation: Intake (en)']);
    for (const m of toAll) {
      expect(m.headers['content-language']).toBe('en');
      expect(m.text).toContain(`${stack.gatewayUrl}/supervision`);
      expect(m.text).toContain(journey);
    }
    const toIntake = await mailbox(intake);
    expect(toIntake.map((m) => m.subject)).toEqual(['Escalade : Intake (fr)']);
    expect(toIntake[0].text).toContain(`${stack.gatewayUrl}/supervision`);
    await settled(journey);
    // The appeals team's supervisor is not told of another team's step; the citizen is not told of an escalation.
    expect(await mailbox(appeals)).toEqual([]);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.journey_id = $1 AND n.category = 'task.escalated' AND d.relation <> 'supervisor'`,
      [journey],
    );
    expect(n).toBe(0);
    // Once: a second look finds each e-mail once, and one message per escalated step.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await mailbox(all)).length).toBe(2);
    const [{ messages }] = await ds.query(`SELECT count(*)::int AS messages FROM notifications WHERE journey_id = $1 AND category = 'task.escalated'`, [journey]);
    expect(messages).toBe(2);
    // Caseworkers see where the escalation went among the journey's messages.
    const shown = (await colleagueCw.get(`/journeys/${journey}/notifications`)).body.notifications.filter((m: any) => m.category === 'task.escalated');
    expect(shown.flatMap((m: any) => m.deliveries.map((d: any) => d.relation))).toEqual(['supervisor', 'supervisor', 'supervisor']);
  });
});
