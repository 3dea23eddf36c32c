import { LANGUAGES } from '@levensloop/domain';
import { categoryOfTimelineEvent } from './categories';
import { renderMessage, type DeliveryContext } from './content';
import { referralExplanation } from './referral-decision';

const LINK = 'https://burger.example/journeys/j-1';
/** The delivery context of a referred decision refused by a caseworker, as the read model gives it. */
const ctx = (data: Record<string, unknown>, over: Partial<DeliveryContext> = {}): DeliveryContext => ({
  category: 'decision.made',
  data,
  journeyId: 'j-1',
  journeyTitle: { nl: 'Steun', fr: 'Aide', de: 'Hilfe', en: 'Support' },
  stepTitle: { nl: 'Toelage', fr: 'Allocation', de: 'Zulage', en: 'Allowance' },
  agencyNames: { nl: 'Uitbetaler' },
  taskDueAt: null,
  cancelReason: null,
  // The rule's explanation of the referral: no longer true once the caseworker decided.
  explanation: { nl: 'Een medewerker bekijkt uw dossier.', en: 'A caseworker will look at your file.' },
  decisionOutcome: 'deny',
  recipientName: 'An',
  subjectName: null,
  agency: 'payer',
  ...over,
});
const refused = { by: 'cw-anna', comment: 'Uw inkomen is te hoog.', referred: true, outcome: 'deny', remedy: { kind: 'objection', until: '2027-01-31T10:00:00.000Z' } };

describe("a caseworker's answer to a referred decision is the decision", () => {
  it('is told as decision.made when the event is of a decision step, approved or refused', () => {
    expect(categoryOfTimelineEvent({ type: 'step.completed', detail: { by: 'cw-anna' } }, 'decision')).toBe('decision.made');
    expect(categoryOfTimelineEvent({ type: 'step.rejected', detail: { by: 'cw-anna', comment: 'No.' } }, 'decision')).toBe('decision.made');
  });

  it('tells nothing for the completion of any other step, or without who answered', () => {
    for (const kind of ['automatic', 'caseworker', 'citizen', undefined] as const) {
      expect(categoryOfTimelineEvent({ type: 'step.completed', detail: { by: 'cw-anna' } }, kind)).toBeUndefined();
      expect(categoryOfTimelineEvent({ type: 'step.rejected', detail: { by: 'cw-anna' } }, kind)).toBeUndefined();
    }
    expect(categoryOfTimelineEvent({ type: 'step.completed', detail: {} }, 'decision')).toBeUndefined();
    expect(categoryOfTimelineEvent({ type: 'step.task_created', detail: { assignee: 'caseworker' } }, 'decision')).toBeUndefined();
  });

  it('says the outcome, the caseworker’s explanation instead of the rule’s, and the remedy, in every language', () => {
    const said = Object.fromEntries(LANGUAGES.map((lang) => [lang, renderMessage(undefined, ctx(refused), lang, LINK)]));
    expect(said.nl.body).toContain('Er is een beslissing over Toelage: geweigerd.');
    expect(said.nl.body).toContain('Waarom: Een medewerker heeft uw dossier bekeken en deze beslissing genomen. De medewerker schrijft: Uw inkomen is te hoog.');
    expect(said.nl.body).toContain('bezwaar maken tot 31 januari 2027 om 11:00');
    expect(said.fr.body).toContain('Pourquoi : Un collaborateur a examiné votre dossier et a pris cette décision. Son explication : Uw inkomen is te hoog.');
    expect(said.fr.body).toContain("réclamation jusqu'au 31 janvier 2027");
    expect(said.de.body).toContain('Warum: Ein Sachbearbeiter hat Ihre Akte geprüft und diese Entscheidung getroffen. Begründung: Uw inkomen is te hoog.');
    expect(said.de.body).toContain('bis zum 31. Januar 2027 um 11:00 Uhr Widerspruch einlegen');
    expect(said.en.body).toContain('A decision was made on Allowance: refused.');
    expect(said.en.body).toContain('Why: A caseworker looked at your file and made this decision. They write: Uw inkomen is te hoog.');
    expect(said.en.sms).toContain('Disagree? You can object until 31 January 2027.');
    for (const lang of LANGUAGES) expect(said[lang].body).not.toMatch(/will look at your file|bekijkt uw dossier/);
  });

  it('without a comment says only that a caseworker decided; without an objection term it names no remedy', () => {
    const granted = ctx({ by: 'cw-anna', referred: true, outcome: 'grant' }, { decisionOutcome: 'grant' });
    const en = renderMessage(undefined, granted, 'en', LINK);
    expect(en.body).toContain('A decision was made on Allowance: granted.\nWhy: A caseworker looked at your file and made this decision.\n\nRead everything at');
    expect(en.body).not.toMatch(/object/);
    expect(referralExplanation('decision.made', { by: 'cw-anna', referred: true, comment: '  ' }, 'nl')).toBe('Een medewerker heeft uw dossier bekeken en deze beslissing genomen.');
  });

  it('leaves every other message to the rule’s explanation', () => {
    expect(referralExplanation('decision.made', { outcome: 'grant' }, 'en')).toBeUndefined();
    expect(referralExplanation('objection.decided', { referred: true }, 'en')).toBeUndefined();
    expect(renderMessage(undefined, ctx({ outcome: 'deny' }), 'en', LINK).body).toContain('Why: A caseworker will look at your file.');
  });
});
