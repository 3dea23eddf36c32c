import { createHmac } from 'node:crypto';
import { createLogRedactor, DEVELOPMENT_LOG_PSEUDONYM_KEY, redactingLogHooks } from './log-redaction';
import { productionRefusals } from './production';

const KEY = 'a-test-key-of-at-least-thirty-two-characters';
const hash = (digits: string, key = KEY) => createHmac('sha256', key).update(digits).digest('hex').slice(0, 16);
const redactor = createLogRedactor(KEY);

describe('log redaction', () => {
  it('replaces a national number by its keyed hash wherever it stands: query, path, text, formatted', () => {
    const nn = `nn:${hash('85073003328')}`;
    expect(redactor.text('GET /journeys?subject=85073003328&status=running')).toBe(`GET /journeys?subject=${nn}&status=running`);
    expect(redactor.text('/journeys/x/persons/85073003328/data')).toBe(`/journeys/x/persons/${nn}/data`);
    expect(redactor.text('subject 85.07.30-033.28 not found')).toBe(`subject ${nn} not found`);
    expect(redactor.text('a%2C85073003328')).toBe(`a%2C${nn}`);
    // The same number gives the same hash (lines can be followed), another key another one.
    expect(createLogRedactor('another-key').text('85073003328')).toBe(`nn:${hash('85073003328', 'another-key')}`);
  });

  it('replaces enterprise numbers (a bare one only when its mod-97 check holds) and leaves other numbers alone', () => {
    const ent = `ent:${hash('0403170701')}`;
    expect(redactor.text('enterprise 0403170701')).toBe(`enterprise ${ent}`);
    expect(redactor.text('BE0403170701 and 0403.170.701 and BE 0403.170.701')).toBe(`${ent} and ${ent} and ${ent}`);
    expect(redactor.text('took 1733460000 s')).toBe('took 1733460000 s');
    // Not a number standing alone: parts of ids and longer numbers stay.
    for (const kept of ['0c5f6c1e-0000-4000-8000-a85073003328', '1733460000123', 'id-85073003328x', '123456789012']) expect(redactor.text(kept)).toBe(kept);
  });

  it('masks e-mail addresses and phone numbers', () => {
    expect(redactor.text('sent to jan.peeters@example.be')).toBe('sent to j***@example.be');
    expect(redactor.text('?to=jan%40example.be')).toBe('?to=j***%40example.be');
    expect(redactor.text('sms to +32470123456 failed')).toBe('sms to +32*******56 failed');
    expect(redactor.text('to=%2B32470123456')).toBe('to=%2B32*******56');
    expect(redactor.text('"jan+1@mail.example.be" and x=85073003328@example.be')).toBe('"j***@mail.example.be" and x=8***@example.be');
  });

  it('an address starts where a run of address characters starts, with a local part of at most 64', () => {
    // The bounds keep the address pattern from being retried from every character of a long header
    // (quadratic time); what they change in the result: an over-long local part is no address.
    expect(redactor.text(`${'a'.repeat(65)}@example.be`)).toBe(`${'a'.repeat(65)}@example.be`);
    expect(redactor.text(`${'a'.repeat(64)}@example.be`)).toBe('a***@example.be');
    expect(redactor.text('x-header: abc1def, to ann@example.be')).toBe('x-header: abc1def, to a***@example.be');
  });

  it('keeps a JSON log line valid JSON, changing only its strings', () => {
    const line = JSON.stringify({ level: 30, time: 1733460000123, n: 85073003328, list: [85073003328, 1733460000, 403170701], req: { url: '/journeys?subject=85073003328' }, quoted: 'said "85073003328"', msg: 'failed:\n85073003328 jan@example.be' });
    const out = redactingLogHooks(KEY).streamWrite(`${line}\n`);
    const parsed = JSON.parse(out);
    expect(parsed).toEqual({
      level: 30,
      time: 1733460000123,
      // A national number logged as a JSON number becomes its pseudonym (a string); other numbers stay.
      n: `nn:${hash('85073003328')}`,
      list: [`nn:${hash('85073003328')}`, 1733460000, 403170701],
      req: { url: `/journeys?subject=nn:${hash('85073003328')}` },
      quoted: `said "nn:${hash('85073003328')}"`,
      msg: `failed:\nnn:${hash('85073003328')} j***@example.be`,
    });
    expect(out.endsWith('\n')).toBe(true);
  });

  it('the production profile refuses the development key (and a short one)', () => {
    const reasons = (key?: string) => productionRefusals({ LOG_PSEUDONYM_KEY: key }).filter((r) => r.includes('LOG_PSEUDONYM_KEY'));
    expect(reasons(undefined)).toHaveLength(1);
    expect(reasons(DEVELOPMENT_LOG_PSEUDONYM_KEY)).toHaveLength(1);
    expect(reasons('short')).toHaveLength(1);
    expect(reasons(KEY)).toEqual([]);
  });
});
