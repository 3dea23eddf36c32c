import { placeholdersOf, renderText, validateTemplate } from './templates';

const ok = { category: 'decision.made', language: 'en' as const, subject: 'About {{stepTitle}}', body: '{{explanation}} {{link}}', sms: '{{outcome}} {{link}}' };

describe('placeholders of a template text', () => {
  it('names plain, unescaped, section and inverted-section names, also nested ones, once each', () => {
    expect(placeholdersOf('{{a}} {{{b}}} {{&c}} {{#d}}{{e}}{{/d}} {{^f}}x{{/f}} {{! a comment }} {{a}}').sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(placeholdersOf('no placeholders')).toEqual([]);
  });
});

describe('validating a template', () => {
  it('accepts a template of a known category and language that uses only what the category provides', () => {
    expect(validateTemplate(ok)).toEqual([]);
  });

  it('refuses an unknown category and language, naming the ones there are', () => {
    expect(validateTemplate({ ...ok, category: 'x.y', language: 'es' as never })).toEqual([
      { path: '/category', message: 'unknown category "x.y"; use one of journey.started, action.needed, action.reminder, decision.made, service.delayed, journey.completed, journey.cancelled, information.requested, term.suspended, term.resumed, term.extended, objection.received, objection.decided, journey.completed_again, task.escalated, appeal.received, appeal.decided, information.reminder, information.lapsed, appointment.choose, appointment.booked, appointment.moved, appointment.cancelled, appointment.reminder, appointment.no_show, payment.requested, payment.reminder, payment.received, payment.failed, payment.expired, payment.refunded' },
      { path: '/language', message: 'language must be one of nl, fr, de, en' },
    ]);
    expect(validateTemplate({ ...ok, category: 42 as never })[0]).toEqual({ path: '/category', message: expect.stringMatching(/^unknown category 42;/) });
  });

  it('refuses a missing, blank or too long part, at its own path, with its limit', () => {
    expect(validateTemplate({ ...ok, subject: undefined, body: '   ', sms: 'x'.repeat(481) })).toEqual([
      { path: '/subject', message: 'subject must be a non-empty text of at most 200 characters' },
      { path: '/body', message: 'body must be a non-empty text of at most 10000 characters' },
      { path: '/sms', message: 'sms must be a non-empty text of at most 480 characters' },
    ]);
    // The limits themselves are allowed.
    expect(validateTemplate({ ...ok, subject: 's'.repeat(200), body: 'b'.repeat(10_000), sms: 'x'.repeat(480) })).toEqual([]);
    expect(validateTemplate({ ...ok, subject: 's'.repeat(201) }).map((p) => p.path)).toEqual(['/subject']);
    expect(validateTemplate({ ...ok, body: 'b'.repeat(10_001) }).map((p) => p.path)).toEqual(['/body']);
  });

  it('refuses a text that does not parse, saying why', () => {
    const problems = validateTemplate({ ...ok, body: 'Hello {{#open}} never closed' });
    expect(problems).toEqual([{ path: '/body', message: expect.stringMatching(/^the template does not parse: Unclosed section "open"/) }]);
  });

  it('names unknown placeholders (one or several) and what the category provides', () => {
    expect(validateTemplate({ ...ok, sms: '{{iban}} {{link}}' })).toEqual([
      {
        path: '/sms',
        message: 'unknown placeholder {{iban}}; a decision.made notification provides {{recipientName}}, {{subjectName}}, {{journeyTitle}}, {{dossierNumber}}, {{link}}, {{stepTitle}}, {{outcome}}, {{explanation}}, {{remedy}}, {{remedyShort}}, {{remedyUntil}}',
      },
    ]);
    expect(validateTemplate({ ...ok, subject: '{{a}} {{b}}' })[0].message).toMatch(/^unknown placeholders \{\{a\}\}, \{\{b\}\}; a decision\.made notification provides/);
  });

  it('does not judge placeholders when the category is unknown (only that)', () => {
    expect(validateTemplate({ ...ok, category: 'nope', body: '{{anything}}' }).map((p) => p.path)).toEqual(['/category']);
  });
});

describe('rendering a template text', () => {
  it('leaves values as they are in text, and escapes them only for HTML', () => {
    const values = { journeyTitle: 'Tom & Jerry <b>' };
    expect(renderText('About {{journeyTitle}}', values)).toBe('About Tom & Jerry <b>');
    expect(renderText('About {{journeyTitle}}', values, true)).toBe('About Tom &amp; Jerry &lt;b&gt;');
    expect(renderText('{{n}}', { n: 0 })).toBe('0');
  });
});
