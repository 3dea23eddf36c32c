import type { SandboxPayment } from './payment-provider';

/**
 * The provider's hosted payment page: plain HTML, one form with two buttons, in the citizen's
 * language (`?lang=` or Accept-Language; nl, fr, de, en), usable at 320 px and by keyboard.
 */
type Lang = 'nl' | 'fr' | 'de' | 'en';

const TEXT: Record<Lang, Record<string, string>> = {
  nl: { title: 'Betalen', amount: 'Bedrag', purpose: 'Waarvoor', expires: 'Deze link is geldig tot', pay: 'Betalen', fail: 'Betaling laten mislukken', sandbox: 'Dit is de testomgeving: er wordt geen echt geld betaald.', paid: 'Betaald. U mag dit venster sluiten.', failed: 'De betaling is mislukt. Vraag een nieuwe betaallink aan in uw dossier.', expired: 'Deze betaallink is verlopen. Vraag een nieuwe aan in uw dossier.', notFound: 'Deze betaling bestaat niet.', canceled: 'Deze betaling is ingetrokken: uw dossier werd stopgezet.' },
  fr: { title: 'Payer', amount: 'Montant', purpose: 'Objet', expires: "Ce lien est valable jusqu'au", pay: 'Payer', fail: 'Faire échouer le paiement', sandbox: "Ceci est l'environnement de test : aucun argent réel n'est payé.", paid: 'Payé. Vous pouvez fermer cette fenêtre.', failed: 'Le paiement a échoué. Demandez un nouveau lien de paiement dans votre dossier.', expired: 'Ce lien de paiement a expiré. Demandez-en un nouveau dans votre dossier.', notFound: "Ce paiement n'existe pas.", canceled: 'Ce paiement a été retiré : votre dossier a été arrêté.' },
  de: { title: 'Bezahlen', amount: 'Betrag', purpose: 'Wofür', expires: 'Dieser Link ist gültig bis', pay: 'Bezahlen', fail: 'Zahlung fehlschlagen lassen', sandbox: 'Dies ist die Testumgebung: Es wird kein echtes Geld gezahlt.', paid: 'Bezahlt. Sie können dieses Fenster schließen.', failed: 'Die Zahlung ist fehlgeschlagen. Fordern Sie in Ihrer Akte einen neuen Zahlungslink an.', expired: 'Dieser Zahlungslink ist abgelaufen. Fordern Sie in Ihrer Akte einen neuen an.', notFound: 'Diese Zahlung gibt es nicht.', canceled: 'Diese Zahlung wurde zurückgezogen: Ihre Akte wurde eingestellt.' },
  en: { title: 'Pay', amount: 'Amount', purpose: 'What for', expires: 'This link is valid until', pay: 'Pay', fail: 'Make the payment fail', sandbox: 'This is the test environment: no real money is paid.', paid: 'Paid. You may close this window.', failed: 'The payment failed. Ask for a new payment link in your file.', expired: 'This payment link has expired. Ask for a new one in your file.', notFound: 'This payment does not exist.', canceled: 'This payment was withdrawn: your file was stopped.' },
};

export function pageLanguage(query: unknown, acceptLanguage: string | undefined): Lang {
  const wanted = typeof query === 'string' ? query : (acceptLanguage ?? '').slice(0, 2).toLowerCase();
  return (['nl', 'fr', 'de', 'en'] as const).find((l) => l === wanted) ?? 'nl';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(lang: Lang, heading: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(heading)} · Sandbox Pay</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}
main{max-width:32rem;margin:0 auto;padding:1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;overflow-wrap:anywhere}
dt{font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.3rem;border:2px solid #0b4f8a;cursor:pointer}
.pay{background:#0b4f8a;color:#fff}.fail{background:#fff;color:#0b4f8a}
button:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.note{color:#4a4a4a}
</style></head>
<body><main><h1>${escape(heading)}</h1>${body}</main></body></html>`;
}

export function paymentPage(payment: SandboxPayment | undefined, lang: Lang): string {
  const t = TEXT[lang];
  if (!payment) return layout(lang, t.title, `<p>${t.notFound}</p>`);
  const amount = new Intl.NumberFormat(`${lang}-BE`, { style: 'currency', currency: payment.amount.currency }).format(Number(payment.amount.value));
  const purpose = payment.description[lang] ?? payment.description.nl ?? '';
  const details = `<dl><dt>${t.amount}</dt><dd>${escape(amount)}</dd><dt>${t.purpose}</dt><dd>${escape(purpose)}</dd></dl>`;
  if (payment.status !== 'open') {
    const says = payment.status === 'paid' ? t.paid : payment.status === 'failed' ? t.failed : payment.status === 'canceled' ? t.canceled : t.expired;
    return layout(lang, t.title, `${details}<p role="status">${says}</p>`);
  }
  const until = new Intl.DateTimeFormat(`${lang}-BE`, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Brussels' }).format(new Date(payment.expiresAt));
  return layout(
    lang,
    `${t.title}: ${amount}`,
    `${details}<p>${t.expires} ${escape(until)}.</p>
<form method="post" action="/pay/${encodeURIComponent(payment.id)}?lang=${lang}"><div class="actions">
<button class="pay" type="submit" name="action" value="pay">${t.pay}</button>
<button class="fail" type="submit" name="action" value="fail">${t.fail}</button>
</div></form><p class="note">${t.sandbox}</p>`,
  );
}
