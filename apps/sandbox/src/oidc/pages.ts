import { createHash } from 'node:crypto';
import { accountIdOf, SIGN_IN_ROLES, type SignInChoices } from './accounts';
import { translator, type PageLanguage } from './page-messages';

/** HTML-escapes text for element content and attribute values. */
export const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Plain CSS with the console's colours (AA contrast) and a visible focus ring; no script at all.
const STYLE = `
:root{--ink:#1b1b1b;--muted:#4a4a4a;--brand:#0b4f8a;--focus:#ffbf47;--danger:#a4161a;--line:#c4ccd4;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;line-height:1.5;color:var(--ink);background:#fff}
*,*::before,*::after{box-sizing:border-box}body{margin:0;overflow-wrap:anywhere}
header{background:var(--brand);color:#fff;padding:.5rem 1rem;font-weight:700}
main{max-width:44rem;margin:0 auto;padding:1rem}h1{font-size:1.75rem;line-height:1.2}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--ink)}
fieldset{border:1px solid var(--line);border-radius:6px;padding:.5rem 1rem .75rem;margin:0 0 1rem;min-width:0}
legend{font-weight:600}label{font-weight:600}.choice{display:flex;align-items:flex-start;padding:.2rem 0}.choice label{font-weight:400}
input[type=radio]{width:1.25rem;height:1.25rem;margin:.15rem .5rem 0 0;flex:none}
.field{display:flex;flex-direction:column;gap:.2rem;margin:.5rem 0}.hint{color:var(--muted);margin:0}
input[type=text],select{font:inherit;padding:.4rem .5rem;border:2px solid var(--muted);border-radius:4px;max-width:100%}
[aria-invalid=true]{border-color:var(--danger)!important}.field-error{color:var(--danger);font-weight:600;margin:0}
.errors{border:3px solid var(--danger);padding:.5rem 1rem;margin-bottom:1rem}.errors a{color:var(--danger)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
button{font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:4px;border:2px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer}
button.secondary{background:#fff;color:var(--brand)}`;

/** The policy of the provider's own pages: their stylesheet only, no script, no framing. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'`;

function page(lang: PageLanguage, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} — Levensloop sandbox</title><style>${STYLE}</style></head>
<body><header>Levensloop sandbox</header><main id="main">${body}</main></body>
</html>`;
}

export interface LoginPageInput {
  lang: PageLanguage;
  /** The interaction's path as the browser sees it (`/oidc/interaction/<uid>`). */
  action: string;
  clientName: string;
  choices: SignInChoices;
  /** What was sent before, to show again with its errors. */
  form?: Record<string, string>;
  /** Field keys with a problem: choose, role, agency, number. */
  errors?: string[];
}

/** Where each error's field is, for the summary's links. */
const ERROR_FIELD: Record<string, string> = { choose: 'identity-first', role: 'role', agency: 'agency', number: 'number' };

/**
 * The interaction (login) page: the test population and staff per agency as one radio group in
 * fieldsets, "someone else" with typed role, agency and number; an error summary first, linked to
 * the fields, each field with its label, hint and error tied to it.
 */
export function loginPage({ lang, action, clientName, choices, form = {}, errors = [] }: LoginPageInput): string {
  const t = translator(lang);
  const chosen = form.identity;
  let first = true;
  const radio = (value: string, label: string) => {
    const id = first ? 'identity-first' : `identity-${value.replace(/[^a-z0-9-]/gi, '-')}`;
    first = false;
    const describedBy = errors.includes('choose') ? ' aria-describedby="choose-error"' : '';
    return `<div class="choice"><input type="radio" name="identity" id="${esc(id)}" value="${esc(value)}"${chosen === value ? ' checked' : ''}${describedBy}><label for="${esc(id)}">${esc(label)}</label></div>`;
  };
  const citizens = choices.citizens
    .map((c) => {
      const number = c.nationalNumber ?? c.enterpriseNumber ?? '';
      return radio(accountIdOf({ role: 'citizen', ...(c.nationalNumber ? { nationalNumber: number } : { enterpriseNumber: number }) }), `${c.name} — ${t(`kind.${c.kind}`)} (${number})`);
    })
    .join('');
  const staff = [
    ...choices.agencies.flatMap((agency) => [
      radio(`caseworker:${agency}`, t('role.caseworker', { agency })),
      radio(`agency-admin:${agency}`, t('role.agency-admin', { agency })),
      radio(`supervisor:${agency}`, t('role.supervisor', { agency })),
    ]),
    ...(['catalog-admin', 'auditor', 'print-service'] as const).map((role) => radio(`${role}:dev`, t(`role.${role}`))),
  ].join('');
  const fieldError = (key: string) => (errors.includes(key) ? `<p class="field-error" id="${key}-error">${esc(t(`error.${key}`))}</p>` : '');
  const invalid = (key: string) => (errors.includes(key) ? ' aria-invalid="true"' : '');
  const roleOptions = SIGN_IN_ROLES.map((r) => `<option value="${r}"${form.role === r ? ' selected' : ''}>${esc(t(r === 'caseworker' || r === 'agency-admin' || r === 'supervisor' ? `roleName.${r}` : `role.${r}`))}</option>`).join('');
  const summary = errors.length
    ? `<div class="errors" role="alert" aria-labelledby="errors-title"><h2 id="errors-title">${esc(t('signIn.errors'))}</h2><ul>${errors
        .map((e) => `<li><a href="#${ERROR_FIELD[e] ?? 'identity-first'}">${esc(t(`error.${e}`))}</a></li>`)
        .join('')}</ul></div>`
    : '';
  return page(
    lang,
    t('signIn.title'),
    `<h1>${esc(t('signIn.title'))}</h1>
${summary}
<p>${esc(t('signIn.intro'))}</p>
<p>${esc(t('signIn.client', { client: clientName }))}</p>
<form method="post" action="${action}/login" novalidate>
${fieldError('choose')}
<fieldset><legend>${esc(t('signIn.citizens'))}</legend>${citizens}</fieldset>
<fieldset><legend>${esc(t('signIn.staff'))}</legend>${staff}</fieldset>
<fieldset><legend>${esc(t('signIn.other'))}</legend>${radio('other', t('signIn.otherChoice'))}
<div class="field"><label for="role">${esc(t('signIn.role'))}</label>${fieldError('role')}<select id="role" name="role"${invalid('role')}${errors.includes('role') ? ' aria-describedby="role-error"' : ''}>${roleOptions}</select></div>
<div class="field"><label for="agency">${esc(t('signIn.agency'))}</label><p class="hint" id="agency-hint">${esc(t('signIn.agencyHint'))}</p>${fieldError('agency')}<input type="text" id="agency" name="agency" autocomplete="organization" value="${esc(form.agency ?? '')}" aria-describedby="agency-hint${errors.includes('agency') ? ' agency-error' : ''}"${invalid('agency')}></div>
<div class="field"><label for="number">${esc(t('signIn.number'))}</label><p class="hint" id="number-hint">${esc(t('signIn.numberHint'))}</p>${fieldError('number')}<input type="text" id="number" name="number" inputmode="numeric" autocomplete="off" value="${esc(form.number ?? '')}" aria-describedby="number-hint${errors.includes('number') ? ' number-error' : ''}"${invalid('number')}></div>
</fieldset>
<div class="actions"><button type="submit">${esc(t('signIn.submit'))}</button><button type="submit" class="secondary" formaction="${action}/abort">${esc(t('signIn.cancel'))}</button></div>
</form>`,
  );
}

/** The end-session confirmation: oidc-provider's form (with its xsrf token) and two buttons for it. */
export function logoutPage(lang: PageLanguage, form: string): string {
  const t = translator(lang);
  return page(
    lang,
    t('logout.title'),
    `<h1>${esc(t('logout.title'))}</h1>
<p>${esc(t('logout.question'))}</p>
${form}
<div class="actions"><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${esc(t('logout.yes'))}</button><button type="submit" class="secondary" form="op.logoutForm">${esc(t('logout.no'))}</button></div>`,
  );
}

export function loggedOutPage(lang: PageLanguage): string {
  const t = translator(lang);
  return page(lang, t('loggedOut.title'), `<h1>${esc(t('loggedOut.title'))}</h1><p>${esc(t('loggedOut.text'))}</p>`);
}

export function errorPage(lang: PageLanguage, error: string): string {
  const t = translator(lang);
  return page(lang, t('error.title'), `<h1>${esc(t('error.title'))}</h1><p>${esc(t('error.text', { error }))}</p>`);
}
