import { createTransport } from 'nodemailer';
import { startSandbox, type RunningSandbox } from '../app';

describe('SMTP sink', () => {
  let sandbox: RunningSandbox;
  const transport = () => createTransport({ host: '127.0.0.1', port: sandbox.smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 2_000 });
  const mail = async (query = '') => (await (await fetch(`${sandbox.url}/_sandbox/mail${query}`)).json()) as { messages: any[]; duplicates: number };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, smtpPort: 0 });
  });
  afterAll(() => sandbox.close());
  afterEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/mail/behaviour`, { method: 'DELETE' });
    await fetch(`${sandbox.url}/_sandbox/mail`, { method: 'DELETE' });
  });

  it('listens on a port of its own and stores each message parsed, with its language header', async () => {
    expect(sandbox.smtpPort).toBeGreaterThan(0);
    const info = await transport().sendMail({
      from: 'Levensloop <noreply@levensloop.dev>',
      to: 'An.Peeters@example.be',
      bcc: 'archive@example.be',
      subject: 'Uw kinderbijslag is toegekend',
      text: 'Beste An, het Groeipakket is toegekend.',
      html: '<p>Beste An, het <b>Groeipakket</b> is toegekend.</p>',
      messageId: '<notification-42@levensloop.dev>',
      headers: { 'Content-Language': 'nl' },
    });
    expect(info.accepted).toEqual(['An.Peeters@example.be', 'archive@example.be']);

    const { messages, duplicates } = await mail();
    expect(duplicates).toBe(0);
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m).toMatchObject({
      messageId: '<notification-42@levensloop.dev>',
      from: 'noreply@levensloop.dev',
      to: ['an.peeters@example.be', 'archive@example.be'],
      subject: 'Uw kinderbijslag is toegekend',
      text: 'Beste An, het Groeipakket is toegekend.',
      html: '<p>Beste An, het <b>Groeipakket</b> is toegekend.</p>',
    });
    expect(m.headers['content-language']).toBe('nl');
    expect(m.headers['message-id']).toBe('<notification-42@levensloop.dev>');
    expect(m.headers.bcc).toBeUndefined();
    expect(Date.parse(m.receivedAt)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('filters by recipient and by part of the subject', async () => {
    const t = transport();
    await t.sendMail({ from: 'noreply@levensloop.dev', to: 'a@example.be', subject: 'Geboortepremie toegekend', text: '1' });
    await t.sendMail({ from: 'noreply@levensloop.dev', to: 'b@example.be', subject: 'Huisbezoek', text: '2' });
    expect((await mail('?to=B@example.be')).messages.map((m) => m.text.trim())).toEqual(['2']);
    expect((await mail('?subject=geboorte')).messages.map((m) => m.to)).toEqual([['a@example.be']]);
    expect((await mail('?to=a@example.be&subject=huis')).messages).toEqual([]);
    const bad = await fetch(`${sandbox.url}/_sandbox/mail?to=a&to=b`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('accepts a message with a Message-ID it already has, but keeps it once and counts the duplicate', async () => {
    const send = () => transport().sendMail({ from: 'noreply@levensloop.dev', to: 'a@example.be', subject: 'Eén keer', text: 'x', messageId: '<key-7@levensloop.dev>' });
    const first = await send();
    const second = await send();
    expect(second.response).toMatch(/^250/);
    expect(second.accepted).toEqual(first.accepted);
    const { messages, duplicates } = await mail();
    expect(messages).toHaveLength(1);
    expect(duplicates).toBe(1);
  });

  it('refuses connections while down, and takes mail again on the same port when restored', async () => {
    const port = sandbox.smtpPort;
    const down = await fetch(`${sandbox.url}/_sandbox/mail/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ down: true }) });
    expect(down.status).toBe(200);
    expect(await down.json()).toEqual({ down: true, port });
    await expect(transport().sendMail({ from: 'noreply@levensloop.dev', to: 'a@example.be', subject: 'Tijdens de storing', text: 'x' })).rejects.toMatchObject({ code: 'ESOCKET' });
    await expect(transport().sendMail({ from: 'noreply@levensloop.dev', to: 'a@example.be', subject: 'x', text: 'x' })).rejects.toThrow(/ECONNREFUSED/);

    expect((await fetch(`${sandbox.url}/_sandbox/mail/behaviour`, { method: 'DELETE' })).status).toBe(204);
    await transport().sendMail({ from: 'noreply@levensloop.dev', to: 'a@example.be', subject: 'Na de storing', text: 'x' });
    expect((await mail()).messages.map((m) => m.subject)).toEqual(['Na de storing']);
  });

  it('refuses a behaviour it does not know', async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/mail/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ down: 'yes' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('{ down: boolean }');
  });

  it('says so when asked to go down in a sandbox without an SMTP listener', async () => {
    const bare = await startSandbox({ port: 0 });
    try {
      expect(bare.smtpPort).toBeUndefined();
      const res = await fetch(`${bare.url}/_sandbox/mail/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ down: true }) });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { detail: string }).detail).toContain('SANDBOX_SMTP_PORT');
    } finally {
      await bare.close();
    }
  });
});
