import { startSandbox, type RunningSandbox } from '../app';

const TOKEN = 'sandbox-ecounter-token';
const MOTHER = '85010112345';
const CHILD = '26110400123';
const STRANGER = '90020254321';

const notification = (over: Record<string, unknown> = {}) => ({
  recipient: { type: 'person', id: MOTHER },
  category: 'journey.decision',
  title: 'Groeipakket toegekend',
  body: 'Het startbedrag en de maandelijkse kinderbijslag zijn toegekend.',
  link: 'https://levensloop.dev/journeys/j-1',
  transactionId: 'j-1',
  actionNeeded: false,
  language: 'nl',
  ...over,
});

const status = (seq: number, over: Record<string, unknown> = {}) => ({
  seq,
  subject: { type: 'person', id: CHILD },
  audience: [CHILD, MOTHER],
  title: 'Geboorte van een kind',
  statusCode: 'in_progress',
  phase: 'Groeipakket',
  actionNeeded: { flag: false },
  link: 'https://levensloop.dev/journeys/j-1',
  updatedAt: `2026-11-24T10:00:0${seq}Z`,
  language: 'nl',
  ...over,
});

describe('e-counter', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/ecounter/behaviour`, { method: 'DELETE' });
    await fetch(`${sandbox.url}/_sandbox/ecounter`, { method: 'DELETE' });
  });

  const call = (method: string, path: string, body: unknown, headers: Record<string, string | null> = {}) => {
    const h: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    for (const [k, v] of Object.entries(headers)) if (v === null) delete h[k];
    else h[k] = v;
    return fetch(`${sandbox.url}${path}`, { method, headers: h, body: JSON.stringify(body) });
  };
  const notify = (body: unknown, key: string | null = `k-${Math.random()}`) => call('POST', '/ecounter/notifications', body, { 'idempotency-key': key });
  const push = (dossier: string, body: unknown) => call('PUT', `/ecounter/dossiers/${dossier}`, body);
  const read = async (path: string) => (await (await fetch(`${sandbox.url}/_sandbox/ecounter${path}`)).json()) as any;

  it('takes a notification once per idempotency key', async () => {
    const first = await notify(notification(), 'j-1:decision');
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };
    const again = await notify(notification(), 'j-1:decision');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ id });
    const other = await notify(notification({ title: 'Iets anders' }), 'j-1:decision');
    expect(other.status).toBe(422);

    const { notifications } = await read(`/citizens/${MOTHER}/notifications`);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ id, ...notification(), idempotencyKey: 'j-1:decision' });
    expect((await read(`/citizens/${STRANGER}/notifications`)).notifications).toEqual([]);
  });

  it('no longer shows a notification once it has expired', async () => {
    await notify(notification({ title: 'Verlopen', expiresAt: '2020-01-01T00:00:00Z' }));
    await notify(notification({ title: 'Geldig', expiresAt: '2999-01-01T00:00:00+01:00' }));
    expect((await read(`/citizens/${MOTHER}/notifications`)).notifications.map((n: any) => n.title)).toEqual(['Geldig']);
  });

  it('names every bad field of a notification, and wants a token and a key', async () => {
    const res = await notify({ recipient: { type: 'person', id: '123' }, category: 'Decision!', title: '', body: 7, link: 'javascript:alert(1)', actionNeeded: 'no', language: 'es', expiresAt: 'tomorrow', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { detail: string; errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer).sort()).toEqual(
      ['/actionNeeded', '/body', '/category', '/expiresAt', '/extra', '/language', '/link', '/recipient/id', '/title', '/transactionId'].sort(),
    );
    expect(problem.detail).toContain('language must be one of nl, fr, de, en');

    expect((await notify(notification(), null)).status).toBe(400);
    expect((await call('POST', '/ecounter/notifications', notification(), { authorization: null, 'idempotency-key': 'k' })).status).toBe(401);
    expect((await read(`/citizens/${MOTHER}/notifications`)).notifications).toEqual([]);
  });

  it('lists every problem of a dossier status and stores none of it', async () => {
    const res = await push('bad number!', {
      seq: -1,
      subject: { type: 'enterprise', id: MOTHER },
      audience: [MOTHER, 'x'],
      title: 'Geboorte',
      statusCode: 'done',
      actionNeeded: { flag: true },
      link: 'https://levensloop.dev/journeys/j-1',
      updatedAt: '24/11/2026',
      language: 'nl',
    });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: Array<{ pointer: string; detail: string }> };
    expect(problem.errors.map((e) => e.pointer)).toEqual(['', '/seq', '/subject/id', '/audience/1', '/statusCode', '/phase', '/actionNeeded/text', '/updatedAt']);
    const notSeen = await push('D-2', status(1, { audience: [MOTHER] }));
    expect(notSeen.status).toBe(400);
    expect(((await notSeen.json()) as { detail: string }).detail).toContain("audience must include the subject's id");
    expect((await fetch(`${sandbox.url}/_sandbox/ecounter/dossiers/D-2`)).status).toBe(404);
  });

  it('applies a status only when its seq is newer, and keeps every update it received', async () => {
    expect(await (await push('J-1', status(1))).json()).toEqual({ applied: true });
    expect(await (await push('J-1', status(3, { statusCode: 'action_needed', actionNeeded: { flag: true, text: 'Geef uw toestemming' } }))).json()).toEqual({ applied: true });
    // Late: seq 2 arrives after 3 and must not overwrite it; the same seq again changes nothing either.
    expect(await (await push('J-1', status(2, { statusCode: 'decided' }))).json()).toEqual({ applied: false, currentSeq: 3 });
    expect(await (await push('J-1', status(3, { statusCode: 'completed' }))).json()).toEqual({ applied: false, currentSeq: 3 });

    const dossier = await read('/dossiers/J-1');
    expect(dossier).toMatchObject({ dossierNumber: 'J-1', seq: 3, statusCode: 'action_needed', actionNeeded: { flag: true, text: 'Geef uw toestemming' } });
    expect(dossier.history.map((h: any) => [h.seq, h.applied, h.update.statusCode])).toEqual([
      [1, true, 'in_progress'],
      [3, true, 'action_needed'],
      [2, false, 'decided'],
      [3, false, 'completed'],
    ]);
  });

  it('shows a dossier to its audience only, as they see it on their counter', async () => {
    await push('J-1', status(1));
    await push('E-9', status(0, { subject: { type: 'enterprise', id: '0123456749' }, audience: ['0123456749', MOTHER], updatedAt: '2026-11-24T11:00:00Z', title: 'Start als zelfstandige' }));
    expect((await read(`/citizens/${MOTHER}/dossiers`)).dossiers.map((d: any) => d.dossierNumber)).toEqual(['E-9', 'J-1']);
    expect((await read(`/citizens/${CHILD}/dossiers`)).dossiers.map((d: any) => [d.dossierNumber, d.statusCode])).toEqual([['J-1', 'in_progress']]);
    expect((await read(`/citizens/${STRANGER}/dossiers`)).dossiers).toEqual([]);
    expect((await read(`/citizens/${MOTHER}/dossiers`)).dossiers[0].history).toBeUndefined();
  });

  it('fails on purpose when asked, and stores nothing meanwhile', async () => {
    await call('PUT', '/_sandbox/ecounter/behaviour', { failWith: 503, failTimes: 1 });
    expect((await push('J-1', status(1))).status).toBe(503);
    expect((await fetch(`${sandbox.url}/_sandbox/ecounter/dossiers/J-1`)).status).toBe(404);
    expect((await push('J-1', status(1))).status).toBe(200);
  });
});
