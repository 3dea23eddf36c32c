import { LANGUAGES } from '@levensloop/domain';
import { renderMessage, type DeliveryContext } from './content';

const ctx = (data: Record<string, unknown> | null): DeliveryContext => ({
  category: 'journey.cancelled',
  data,
  journeyId: 'j-1',
  journeyTitle: { nl: 'Een zaak starten', en: 'Starting a business' },
  stepTitle: null,
  agencyNames: null,
  taskDueAt: null,
  cancelReason: 'Plans changed',
  explanation: null,
  decisionOutcome: null,
  recipientName: 'An',
  subjectName: null,
  agency: null,
});

describe('the message of a journey cancelled after steps completed', () => {
  const undone = { undone: ['vat', 'register'], undoneTitles: [{ nl: 'Btw activeren', en: 'Activate VAT', fr: 'Activer la TVA', de: 'MwSt. aktivieren' }, { nl: 'Inschrijven' }] };

  it('tells what was undone, in every language (a missing title in Dutch)', () => {
    const en = renderMessage(undefined, ctx(undone), 'en', 'https://x/j-1');
    expect(en.body).toContain('What was already done has been undone: Activate VAT, Inschrijven.');
    for (const lang of LANGUAGES) {
      const body = renderMessage(undefined, ctx(undone), lang, 'https://x/j-1').body;
      expect(body).toContain(lang === 'nl' ? 'Btw activeren' : lang === 'fr' ? 'Activer la TVA' : lang === 'de' ? 'MwSt. aktivieren' : 'Activate VAT');
      expect(body).toContain('Inschrijven');
    }
  });

  it('says nothing of undoing when nothing was undone', () => {
    for (const data of [null, { by: 'x', reason: 'y' }, { undone: [], undoneTitles: [] }]) {
      const body = renderMessage(undefined, ctx(data), 'en', 'https://x/j-1').body;
      expect(body).toContain('Plans changed');
      expect(body).not.toContain('undone');
    }
  });
});
