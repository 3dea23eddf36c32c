import { categoryOfTimelineEvent, MESSAGE_CATEGORIES } from './categories';
import { renderMessage, type DeliveryContext } from './content';
import { defaultTemplate } from './default-templates';
import { PAYMENT_CATEGORIES, paymentValues } from './payment-messages';
import { validateTemplate } from './templates';

const purpose = { nl: 'Omgevingsvergunning', fr: "Permis d'environnement", de: 'Umgebungsgenehmigung', en: 'Environment permit' };
const ctx = (category: string, data: Record<string, unknown>): DeliveryContext => ({
  category,
  data,
  journeyId: 'j1',
  journeyTitle: { nl: 'Een woning verbouwen', en: 'Renovating a home' },
  stepTitle: { nl: 'Retributie betalen', en: 'Pay the fee' },
  agencyNames: { nl: 'Leuven', en: 'Leuven' },
  taskDueAt: null,
  cancelReason: null,
  explanation: null,
  decisionOutcome: null,
  recipientName: 'Jan Peeters',
  subjectName: 'Jan Peeters',
  agency: 'leuven',
});

describe('what a payment tells the citizen', () => {
  it('files one message per payment event, none for a renewal request', () => {
    expect(categoryOfTimelineEvent({ type: 'step.payment_requested' })).toBe('payment.requested');
    expect(categoryOfTimelineEvent({ type: 'step.payment_reminder' })).toBe('payment.reminder');
    expect(categoryOfTimelineEvent({ type: 'step.payment_received' })).toBe('payment.received');
    expect(categoryOfTimelineEvent({ type: 'step.payment_failed' })).toBe('payment.failed');
    expect(categoryOfTimelineEvent({ type: 'step.payment_expired' })).toBe('payment.expired');
    expect(categoryOfTimelineEvent({ type: 'step.payment_refunded' })).toBe('payment.refunded');
    expect(categoryOfTimelineEvent({ type: 'step.payment_renewal_requested' })).toBeUndefined();
    for (const key of Object.keys(PAYMENT_CATEGORIES)) expect(MESSAGE_CATEGORIES[key]?.actionNeeded).toBe(false);
  });

  it('has a valid built-in text in each of the four languages, with the link and the amount in the reader’s format', () => {
    for (const category of Object.keys(PAYMENT_CATEGORIES)) {
      for (const lang of ['nl', 'fr', 'de', 'en'] as const) expect({ category, lang, problems: validateTemplate(defaultTemplate(category, lang)) }).toEqual({ category, lang, problems: [] });
    }
    const data = { amount: '45.00', currency: 'EUR', purpose, checkoutUrl: 'https://psp.example/pay/tr_1', expiresAt: '2026-12-08T10:00:00.000Z' };
    const nl = renderMessage(undefined, ctx('payment.requested', data), 'nl', 'https://console/journeys/j1');
    expect(nl.body).toContain('https://psp.example/pay/tr_1');
    expect(nl.body).toMatch(/€\s?45,00/);
    expect(nl.body).toContain('Omgevingsvergunning');
    expect(nl.body).toContain('8 december 2026');
    const en = renderMessage(undefined, ctx('payment.reminder', data), 'en', 'https://console/journeys/j1');
    expect(en.subject).toBe('Reminder: pay €45.00 for Pay the fee');
    expect(paymentValues('journey.started', data, 'en', (d) => d)).toEqual({});
  });
});
