import { LANGUAGES } from '@levensloop/domain';
import { renderMessage, type DeliveryContext } from './content';
import { remedyValues, withRemedy } from './remedy';
import { validateTemplate } from './templates';

const LINK = 'https://burger.example/journeys/j-1';
const ctx = (over: Partial<DeliveryContext> = {}): DeliveryContext => ({
  category: 'decision.made',
  data: { outcome: 'deny' },
  journeyId: 'j-1',
  journeyTitle: { nl: 'Geboorte', fr: 'Naissance', de: 'Geburt', en: 'Birth' },
  stepTitle: { nl: 'Startbedrag', en: 'Starting amount' },
  agencyNames: { nl: 'Groeipakket' },
  taskDueAt: null,
  cancelReason: null,
  explanation: { nl: 'Het kind woont niet bij u.', en: 'The child does not live with you.' },
  decisionOutcome: 'deny',
  recipientName: 'An',
  subjectName: null,
  agency: 'groeipakket',
  ...over,
});
// 31 January 2027, 10:00 UTC: 11:00 in Brussels.
const objection = { outcome: 'deny', remedy: { kind: 'objection', until: '2027-01-31T10:00:00.000Z' } };

describe('a decision names its remedy', () => {
  it('in every language: that the citizen may object, until which day and hour, and where (the journey page)', () => {
    const said = Object.fromEntries(LANGUAGES.map((lang) => [lang, renderMessage(undefined, ctx({ data: objection }), lang, LINK)]));
    expect(said.nl.body).toContain('Dan kunt u bezwaar maken tot 31 januari 2027 om 11:00. Dat doet u op de pagina van uw dossier: https://burger.example/journeys/j-1');
    expect(said.fr.body).toContain("réclamation jusqu'au 31 janvier 2027 à 11:00");
    expect(said.de.body).toContain('bis zum 31. Januar 2027 um 11:00 Uhr Widerspruch einlegen');
    expect(said.en.body).toContain('You can object until 11:00 on 31 January 2027. Do this on your file\'s page: https://burger.example/journeys/j-1');
    expect(said.nl.sms).toBe('Er is een beslissing in "Geboorte": geweigerd. Niet akkoord? Bezwaar kan tot 31 januari 2027. Lees alles op https://burger.example/journeys/j-1');
    expect(said.en.sms).toContain('Disagree? You can object until 31 January 2027.');
    // Before "read everything": the remedy paragraph follows the explanation.
    expect(said.en.body.indexOf('Why: The child')).toBeLessThan(said.en.body.indexOf('Do you disagree'));
  });

  it('names the reviewing agency when it is not the deciding one (its name in the language, its code when unknown)', () => {
    const data = { outcome: 'deny', remedy: { ...objection.remedy, agency: 'bezwaarcommissie' } };
    expect(renderMessage(undefined, ctx({ data, remedyAgencyNames: { nl: 'De bezwaarcommissie', fr: 'La commission' } }), 'fr', LINK).body).toContain('La commission examine votre réclamation.');
    expect(renderMessage(undefined, ctx({ data }), 'nl', LINK).body).toContain('bezwaarcommissie bekijkt uw bezwaar.');
    expect(renderMessage(undefined, ctx({ data: objection }), 'nl', LINK).body).not.toContain('bekijkt uw bezwaar.');
  });

  it('a decision without an objection term keeps its text exactly', () => {
    const body = 'Beste An,\n\nEr is een beslissing over Startbedrag: geweigerd.\nWaarom: Het kind woont niet bij u.\n\nLees alles op https://burger.example/journeys/j-1';
    expect(renderMessage(undefined, ctx(), 'nl', LINK)).toEqual({
      subject: 'Beslissing in uw dossier "Geboorte"',
      body,
      sms: 'Er is een beslissing in "Geboorte": geweigerd. Lees alles op https://burger.example/journeys/j-1',
    });
    // A remedy that is no date names nothing.
    expect(renderMessage(undefined, ctx({ data: { remedy: { kind: 'objection', until: 'soon' } } }), 'nl', LINK).body).toBe(body);
  });

  it('an upheld objection names the appeal and its term; a revised one without appeal names nothing', () => {
    const upheld = ctx({ category: 'objection.decided', data: { outcome: 'deny', explanation: { nl: 'Klopt.' }, remedy: { kind: 'appeal', until: '2027-03-02T09:30:00.000Z', agency: 'raad' } }, remedyAgencyNames: { nl: 'De Raad', de: 'Der Rat' } });
    const de = renderMessage(undefined, upheld, 'de', LINK);
    expect(de.body).toContain('bis zum 2. März 2027 um 10:30 Uhr Beschwerde einlegen');
    expect(de.body).toContain('Der Rat bearbeitet Ihre Beschwerde.');
    expect(de.sms).toContain('Beschwerde bis zum 2. März 2027.');
    expect(renderMessage(undefined, ctx({ category: 'objection.decided', data: { outcome: 'grant' } }), 'en', LINK).body).not.toMatch(/appeal|object until/);
  });

  it('only for decisions: other categories get no remedy values', () => {
    expect(remedyValues('journey.started', objection, 'nl', LINK, String)).toEqual({});
    expect(remedyValues('decision.made', null, 'nl', LINK, String)).toEqual({ remedy: '', remedyShort: '', remedyUntil: '' });
    expect(remedyValues('decision.made', objection, 'en', LINK, () => '31 January 2027').remedyUntil).toBe('31 January 2027');
  });
});

describe('agency templates and the remedy', () => {
  const registered = { category: 'decision.made', language: 'nl' as const, subject: 'Beslissing', body: 'Uitkomst: {{outcome}}.', sms: '{{outcome}} {{link}}' };

  it('a template may use the remedy fields', () => {
    expect(validateTemplate({ ...registered, body: '{{outcome}}{{#remedy}}\n{{remedy}}{{/remedy}} {{remedyUntil}}', sms: '{{remedyShort}}' })).toEqual([]);
    expect(validateTemplate({ ...registered, category: 'objection.decided', body: '{{remedy}}' })).toEqual([]);
  });

  it('one that names no remedy still tells it, after its body and SMS; one that does is left as it is', () => {
    const said = renderMessage(registered, ctx({ data: objection }), 'nl', LINK);
    expect(said.body).toBe(`Uitkomst: geweigerd.\n\nBent u het niet eens met deze beslissing? Dan kunt u bezwaar maken tot 31 januari 2027 om 11:00. Dat doet u op de pagina van uw dossier: ${LINK}`);
    expect(said.sms).toBe(`geweigerd ${LINK} Niet akkoord? Bezwaar kan tot 31 januari 2027.`);
    expect(renderMessage(registered, ctx(), 'nl', LINK)).toEqual({ subject: 'Beslissing', body: 'Uitkomst: geweigerd.', sms: `geweigerd ${LINK}` });
    const own = { ...registered, body: 'Bezwaar tot {{remedyUntil}}.' };
    expect(withRemedy(own, 'decision.made').body).toBe('Bezwaar tot {{remedyUntil}}.');
    expect(withRemedy(registered, 'journey.started')).toBe(registered);
  });
});
