import { LANGUAGES } from '@levensloop/domain';
import { NOTIFICATION_CATEGORIES } from './categories';
import { channelsFor, effectiveContact } from './channels';
import { asLanguage, journeyLink, renderMessage, storedMessage, TemplatesInForce, toDeliveryContext, type ScopedTemplate } from './content';
import { DEFAULT_TEMPLATES, defaultTemplate } from './default-templates';
import { dossierActionNeeded, dossierPhase, dossierStatusCode, type DossierView } from './dossier-status';
import { placeholdersOf, renderText, validateTemplate } from './templates';
import { TokenBucket } from './token-bucket';

describe('default templates', () => {
  test.each(Object.keys(NOTIFICATION_CATEGORIES).flatMap((c) => LANGUAGES.map((l) => [c, l] as const)))('%s in %s is valid and carries the link everywhere', (category, language) => {
    const template = defaultTemplate(category, language);
    expect(validateTemplate(template)).toEqual([]);
    for (const part of ['subject', 'body', 'sms'] as const) expect(template[part].length).toBeGreaterThan(0);
    expect(placeholdersOf(template.body)).toContain('link');
    expect(placeholdersOf(template.sms)).toContain('link');
  });

  test('every category has one, and nothing else does', () => {
    expect(Object.keys(DEFAULT_TEMPLATES).sort()).toEqual(Object.keys(NOTIFICATION_CATEGORIES).sort());
  });

  test('sections leave out what a message does not have', () => {
    const t = defaultTemplate('action.needed', 'en');
    const without = renderText(t.body, { recipientName: 'Ann', journeyTitle: 'Birth', stepTitle: 'Consent', dueDate: '', what: '', link: 'https://x/j/1' });
    expect(without).not.toContain('before');
    const withDate = renderText(t.body, { recipientName: 'Ann', journeyTitle: 'Birth', stepTitle: 'Consent', dueDate: '1 March 2027', what: '', link: 'https://x/j/1' });
    expect(withDate).toContain('Please do this before 1 March 2027.');
    expect(withDate).toContain('https://x/j/1');
  });
});

describe('channels', () => {
  const both = effectiveContact({ prefilled: { email: 'a@example.org', phone: '+32470000000', language: 'fr', address: { street: 'Rue' } } });

  test('the register fills in, the person’s own choice wins', () => {
    expect(both.language).toBe('fr');
    expect(effectiveContact({ language: 'de', email: 'own@example.org', prefilled: { email: 'a@example.org', language: 'fr' } })).toMatchObject({ language: 'de', email: 'own@example.org' });
    expect(effectiveContact(undefined).language).toBe('nl');
    expect(effectiveContact({ language: 'xx' }).language).toBe('nl');
  });

  test('e-counter always, e-mail when known, SMS only when something is needed', () => {
    expect(channelsFor('journey.started', both)).toEqual(['ecounter', 'email']);
    expect(channelsFor('action.needed', both)).toEqual(['ecounter', 'email', 'sms']);
    expect(channelsFor('action.reminder', both)).toEqual(['ecounter', 'email', 'sms']);
  });

  test('a letter when no channel reaches the person by itself for this message', () => {
    const none = effectiveContact({ prefilled: { address: { street: 'Straat' } } });
    expect(channelsFor('decision.made', none)).toEqual(['ecounter', 'letter']);
    const phoneOnly = effectiveContact({ prefilled: { phone: '+32470000000' } });
    expect(channelsFor('action.needed', phoneOnly)).toEqual(['ecounter', 'sms']);
    expect(channelsFor('decision.made', phoneOnly)).toEqual(['ecounter', 'letter']);
  });

  test('a chosen set narrows the digital channels and may ask for paper', () => {
    const smsOnly = effectiveContact({ channels: ['sms'], prefilled: { email: 'a@example.org', phone: '+32470000000' } });
    expect(channelsFor('action.needed', smsOnly)).toEqual(['ecounter', 'sms']);
    expect(channelsFor('journey.started', smsOnly)).toEqual(['ecounter', 'letter']);
    const paperToo = effectiveContact({ channels: ['email', 'letter'], email: 'a@example.org' });
    expect(channelsFor('journey.started', paperToo)).toEqual(['ecounter', 'email', 'letter']);
  });
});

describe('dossier status', () => {
  const step = (kind: string, status: string, nl: string) => ({ kind, status, title: { nl, en: `${nl} (en)` } });
  const view = (journeyStatus: string, steps: DossierView['steps'], citizenTasks: DossierView['citizenTasks'] = []): DossierView => ({ journeyStatus, steps, citizenTasks });

  test.each([
    ['just started', 'received', view('running', [step('automatic', 'running', 'A'), step('decision', 'pending', 'B')])],
    ['a caseworker at work', 'in_progress', view('running', [step('automatic', 'completed', 'A'), step('caseworker', 'waiting', 'B')])],
    ['the citizen must act', 'action_needed', view('running', [step('citizen', 'waiting', 'C')], [{ nl: 'C' }])],
    ['decided, nothing else under way', 'decided', view('running', [step('decision', 'completed', 'D'), step('automatic', 'pending', 'E')])],
    ['decided, but more under way', 'in_progress', view('running', [step('decision', 'completed', 'D'), step('automatic', 'running', 'E')])],
    ['needs attention', 'in_progress', view('needs_attention', [step('automatic', 'needs_attention', 'A')])],
    ['completed', 'completed', view('completed', [step('automatic', 'completed', 'A')])],
    ['cancelled', 'stopped', view('cancelled', [step('citizen', 'cancelled', 'C')], [{ nl: 'C' }])],
  ])('%s → %s', (_what, code, v) => {
    expect(dossierStatusCode(v)).toBe(code);
  });

  test('phase and action text in the reader’s language', () => {
    const v = view('running', [step('citizen', 'waiting', 'Toestemming'), step('automatic', 'running', 'Kinderbijslag'), step('automatic', 'completed', 'Klaar')], [{ nl: 'Toestemming', en: 'Consent' }]);
    expect(dossierPhase(v, 'nl')).toBe('Toestemming, Kinderbijslag');
    expect(dossierPhase(v, 'en')).toBe('Toestemming (en), Kinderbijslag (en)');
    expect(dossierActionNeeded(v, 'en')).toEqual({ flag: true, text: 'We need something from you: Consent' });
    expect(dossierActionNeeded(view('running', []), 'en')).toEqual({ flag: false });
  });
});

describe('token bucket', () => {
  test('a burst at once, then the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    expect(bucket.take(100)).toBe(5);
    expect(bucket.take(1)).toBe(0);
    expect(bucket.waitMs()).toBe(100);
    now += 300;
    expect(bucket.take(100)).toBe(3);
    bucket.giveBack(2);
    expect(bucket.take(100)).toBe(2);
    now += 10_000;
    expect(bucket.take(100)).toBe(5); // never more than the burst
  });
});

describe('message content (shared by the dispatcher and the API)', () => {
  const row = {
    delivery_id: 'd-1',
    category: 'action.needed',
    data: null,
    journey_id: 'j-1',
    journey_title: { nl: 'Geboorte van een kind', fr: "Naissance d'un enfant", de: 'Geburt eines Kindes', en: 'Birth of a child' },
    step_title: { nl: 'Toestemming', fr: 'Consentement', de: 'Einwilligung', en: 'Consent' },
    agency_names: null,
    task_due_at: new Date('2027-03-01T12:00:00Z'),
    cancel_reason: null,
    explanation: null,
    decision_outcome: null,
    recipient_name: 'An Peeters',
    subject_name: null,
  };

  test('a row renders the default in the language asked, with the link and the due date', () => {
    const link = journeyLink('https://mijn.example', 'j-1');
    const m = renderMessage(undefined, toDeliveryContext(row), 'fr', link);
    expect(m.subject).toBe('Nous avons besoin de vous : Consentement');
    expect(m.body).toContain('Bonjour An Peeters');
    expect(m.body).toContain('1 mars 2027');
    expect(m.sms).toContain('https://mijn.example/journeys/j-1');
  });

  test('a registered template wins over the default', () => {
    const registered = { category: 'action.needed', language: 'en' as const, subject: 'Act: {{stepTitle}}', body: '{{journeyTitle}} {{link}}', sms: '{{link}}' };
    expect(renderMessage(registered, toDeliveryContext(row), 'en', 'https://x/j')).toEqual({ subject: 'Act: Consent', body: 'Birth of a child https://x/j', sms: 'https://x/j' });
  });

  test('a delivery reads as stored once rendered (an empty text is still a text); not before', () => {
    expect(storedMessage({ subject: null, body: null, sms: null })).toBeUndefined();
    expect(storedMessage({})).toBeUndefined();
    expect(storedMessage({ subject: 'Act: Consent', body: '', sms: 'https://x/j' })).toEqual({ subject: 'Act: Consent', body: '', sms: 'https://x/j' });
  });

  test('an unknown stored language reads as Dutch', () => {
    expect(asLanguage('fr')).toBe('fr');
    expect(asLanguage('xx')).toBe('nl');
    expect(asLanguage(null)).toBe('nl');
  });
});

describe('templates in force per agency', () => {
  const t = (category: string, agency: string | null, version: number): ScopedTemplate => ({ category, language: 'nl', agency, version, subject: `${agency ?? 'global'} ${version}`, body: 'b', sms: 's' });
  const inForce = new TemplatesInForce([t('decision.made', 'bank', 2), t('decision.made', null, 1), t('journey.started', 'bank', 3)]);

  test("a step's message: its agency's own template, else the global one", () => {
    expect(inForce.for('decision.made', 'nl', 'bank')?.version).toBe(2);
    expect(inForce.for('decision.made', 'nl', 'groeipakket')?.version).toBe(1);
    expect(inForce.for('decision.made', 'nl', null)?.version).toBe(1);
  });

  test('a message about the whole journey ignores any agency; nothing registered: the default (undefined)', () => {
    expect(inForce.for('journey.started', 'nl', 'bank')).toBeUndefined();
    expect(inForce.for('action.needed', 'nl', 'bank')).toBeUndefined();
    expect(inForce.for('decision.made', 'fr', 'bank')).toBeUndefined();
  });

  test('every category says whether it is about a step or the whole journey', () => {
    expect(Object.values(NOTIFICATION_CATEGORIES).filter((c) => c.scope === 'journey').map((c) => c.key).sort()).toEqual(['journey.cancelled', 'journey.completed', 'journey.started']);
  });
});
