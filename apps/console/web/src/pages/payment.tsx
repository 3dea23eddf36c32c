import { post } from '../api';
import { ErrorMessage, Field, FieldError, type ControlProps, useSubmit } from '../components';
import { formatDate, language, LANGUAGES, t, tr, type Translations } from '../i18n';
import { Link } from '../router';

/** A payment step's payment as the API shows it on the journey (the link only while it can be used). */
export interface StepPaymentView {
  status: 'open' | 'paid' | 'failed' | 'expired' | 'refunded' | 'cancelled';
  amount: string;
  currency: string;
  purpose?: Translations;
  attempt: number;
  checkoutUrl?: string;
  expiresAt?: string;
  paidAt?: string;
  refundedAt?: string;
}

export const formatMoney = (amount: string, currency = 'EUR') => new Intl.NumberFormat(`${language()}-BE`, { style: 'currency', currency }).format(Number(amount));

/**
 * A payment step on the journey: the amount, what for and where it stands (in words); while open,
 * a link "Pay € …" to the provider's page and until when it is valid; after a failure or expiry,
 * the person who pays asks a new link.
 */
export function StepPayment({ journeyId, nodeKey, payment, mayRenew, onDone }: { journeyId: string; nodeKey: string; payment: StepPaymentView; mayRenew: boolean; onDone: () => void }) {
  const amount = formatMoney(payment.amount, payment.currency);
  const { busy, problem, submit } = useSubmit(async () => {
    await post(`/journeys/${encodeURIComponent(journeyId)}/steps/${encodeURIComponent(nodeKey)}/payment`, {});
    onDone();
  });
  return (
    <div class={`payment payment-${payment.status}`}>
      <p class="hint">
        {t(`payment.status.${payment.status}`, { amount })}
        {payment.purpose ? ` — ${tr(payment.purpose)}` : ''}
      </p>
      {payment.status === 'open' && payment.checkoutUrl ? (
        <p>
          <a class="button small" href={payment.checkoutUrl} rel="noopener">
            {t('payment.pay', { amount })}
          </a>
          {payment.expiresAt ? <span class="hint"> {t('payment.validUntil', { date: formatDate(payment.expiresAt) })}</span> : null}
        </p>
      ) : null}
      {(payment.status === 'failed' || payment.status === 'expired') && mayRenew ? (
        <>
          <button type="button" class="button small secondary" disabled={busy} onClick={() => void submit()}>
            {t('payment.renew')}
          </button>
          <ErrorMessage error={problem} />
        </>
      ) : null}
    </div>
  );
}

/** The payment fields of a payment step's form, as text (the API checks them and names each problem). */
export interface PaymentForm {
  amount: string;
  purpose: Record<string, string>;
  linkValidFor: string;
  reminderBefore: string;
}

export const emptyPayment = (): PaymentForm => ({ amount: '', purpose: {}, linkValidFor: 'P7D', reminderBefore: 'P2D' });

export const paymentFormOf = (p: { amount: string; purpose: Translations; linkValidFor: string; reminderBefore: string } | undefined): PaymentForm =>
  p ? { amount: p.amount, purpose: { ...p.purpose } as Record<string, string>, linkValidFor: p.linkValidFor, reminderBefore: p.reminderBefore } : emptyPayment();

export const paymentBody = (f: PaymentForm) => ({
  amount: f.amount.trim().replace(',', '.'),
  purpose: Object.fromEntries(Object.entries(f.purpose).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()])),
  linkValidFor: f.linkValidFor.trim(),
  reminderBefore: f.reminderBefore.trim(),
});

export const PAYMENT_POINTERS = ['/payment', '/payment/amount', '/payment/purpose', ...LANGUAGES.map((l) => `/payment/purpose/${l}`), '/payment/linkValidFor', '/payment/reminderBefore'];

const text = (value: string, onInput: (v: string) => void, inputMode?: 'decimal') => (props: ControlProps) => (
  <input {...props} value={value} inputMode={inputMode} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
);

/** The amount (euro), what it is for in the four languages, how long a link is valid and when to remind. */
export function PaymentFields({ value, at, onChange }: { value: PaymentForm; at: (pointer: string) => string | undefined; onChange: (f: PaymentForm) => void }) {
  const described = ['step-payment-hint', at('/payment') ? 'step-payment-error' : ''].filter(Boolean).join(' ');
  return (
    <fieldset id="step-payment" aria-describedby={described} aria-invalid={at('/payment') ? 'true' : undefined}>
      <legend>{t('catalog.payment')}</legend>
      <p class="hint" id="step-payment-hint">
        {t('catalog.paymentHint')}
      </p>
      <FieldError id="step-payment" error={at('/payment')} />
      <Field id="step-payment-amount" label={t('catalog.paymentAmount')} hint={t('catalog.paymentAmountHint')} error={at('/payment/amount')} control={text(value.amount, (amount) => onChange({ ...value, amount }), 'decimal')} />
      <fieldset id="step-payment-purpose" aria-describedby={at('/payment/purpose') ? 'step-payment-purpose-error' : undefined} aria-invalid={at('/payment/purpose') ? 'true' : undefined}>
        <legend>{t('catalog.paymentPurpose')}</legend>
        <FieldError id="step-payment-purpose" error={at('/payment/purpose')} />
        {LANGUAGES.map((l) => (
          <Field key={l} id={`step-payment-purpose-${l}`} label={t(`language.${l}`)} error={at(`/payment/purpose/${l}`)} control={text(value.purpose[l] ?? '', (v) => onChange({ ...value, purpose: { ...value.purpose, [l]: v } }))} />
        ))}
      </fieldset>
      <Field id="step-payment-valid" label={t('catalog.paymentLinkValidFor')} hint={t('catalog.paymentLinkValidForHint')} error={at('/payment/linkValidFor')} control={text(value.linkValidFor, (linkValidFor) => onChange({ ...value, linkValidFor }))} />
      <Field id="step-payment-reminder" label={t('catalog.paymentReminderBefore')} hint={t('catalog.paymentReminderBeforeHint')} error={at('/payment/reminderBefore')} control={text(value.reminderBefore, (reminderBefore) => onChange({ ...value, reminderBefore }))} />
    </fieldset>
  );
}

/** What a waiting payment step needs from the citizen, as a line of "what is needed from me": pay (the provider's page) or ask a new link (the journey's page). */
export function PaymentNeeded({ journeyId, title, payment }: { journeyId: string; title: string; payment: StepPaymentView }) {
  const amount = formatMoney(payment.amount, payment.currency);
  if (payment.status === 'open' && payment.checkoutUrl) {
    return (
      <li>
        {title}: <a href={payment.checkoutUrl} rel="noopener">{t('payment.pay', { amount })}</a>
        {payment.expiresAt ? <span class="hint"> — {t('payment.validUntil', { date: formatDate(payment.expiresAt, false) })}</span> : null}
      </li>
    );
  }
  return (
    <li>
      {title}: {t(`payment.status.${payment.status}`, { amount })} — <Link href={`/journeys/${journeyId}`}>{t('payment.renew')}</Link>
    </li>
  );
}
