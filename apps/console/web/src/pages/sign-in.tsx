import { useEffect, useState } from 'preact/hooks';
import type { RuntimeConfig } from '../api';
import { ErrorMessage, PageTitle, useSubmit } from '../components';
import { t } from '../i18n';
import { saveSession, type Session } from '../session';
import { providerSignIn, startProviderSignIn } from '../oidc';

const ROLES = ['caseworker', 'citizen', 'agency-admin', 'catalog-admin', 'auditor', 'supervisor'] as const;

/** A person of the development issuer's test population (GET <issuer>/dev-identities). */
interface DevIdentity {
  kind: string;
  name: string;
  nationalNumber?: string;
  enterpriseNumber?: string;
}

/**
 * Signing in: at the issuer (code flow with PKCE) when the console has a client there; and, in
 * development, by picking a role and who you are, for which the sandbox's issuer signs a token.
 * The gateway verifies either token like any other.
 */
export function SignIn({ config, onSignedIn }: { config: RuntimeConfig; onSignedIn: (s: Session) => void }) {
  const [leaving, setLeaving] = useState(false);
  const [providerError, setProviderError] = useState<Error | undefined>();
  if (!providerSignIn()) return <DevSignIn config={config} onSignedIn={onSignedIn} />;
  const signInAtProvider = () => {
    setLeaving(true);
    setProviderError(undefined);
    const next = new URLSearchParams(location.search).get('next') ?? '';
    startProviderSignIn(next).catch((err: unknown) => {
      setLeaving(false);
      setProviderError(err instanceof Error ? err : new Error(String(err)));
    });
  };
  return (
    <>
      <PageTitle>{t('signIn.title')}</PageTitle>
      <p>{t('signIn.providerIntro')}</p>
      <ErrorMessage error={providerError} />
      <p>
        <button type="button" class="button" id="sign-in-provider" onClick={signInAtProvider} disabled={leaving}>
          {t('signIn.provider')}
        </button>
      </p>
      {config.devSignIn ? (
        <section aria-labelledby="dev-sign-in">
          <h2 id="dev-sign-in">{t('signIn.devTitle')}</h2>
          <DevSignIn config={config} onSignedIn={onSignedIn} embedded />
        </section>
      ) : null}
    </>
  );
}

/**
 * Development sign-in: pick a role and who you are, and the platform's issuer (the sandbox's
 * development OIDC issuer) signs a token for it.
 */
function DevSignIn({ config, onSignedIn, embedded = false }: { config: RuntimeConfig; onSignedIn: (s: Session) => void; embedded?: boolean }) {
  const [role, setRole] = useState<string>('caseworker');
  const [agency, setAgency] = useState('');
  const [nationalNumber, setNationalNumber] = useState('');
  const [name, setName] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [people, setPeople] = useState<DevIdentity[]>([]);
  useEffect(() => {
    if (!config.devSignIn) return;
    fetch(`${config.issuer}/dev-identities`)
      .then((r) => (r.ok ? r.json() : { citizens: [] }))
      .then((body: { citizens?: DevIdentity[] }) => setPeople(body.citizens ?? []))
      .catch(() => setPeople([]));
  }, [config.issuer, config.devSignIn]);
  const needsAgency = role === 'caseworker' || role === 'agency-admin' || role === 'supervisor';
  const needsNumber = role === 'citizen';
  const { busy, problem: error, submit: signIn } = useSubmit(async () => {
    const number = nationalNumber.trim();
    const body: Record<string, string> = { role };
    if (needsAgency) body.agency = agency.trim();
    if (needsNumber) body[number.length === 10 ? 'enterpriseNumber' : 'nationalNumber'] = number;
    if (name.trim()) body.name = name.trim();
    // The sandbox's development token endpoint (the discovery's token endpoint is the provider's, for codes).
    const res = await fetch(`${config.issuer}/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await res.json();
    if (!res.ok) throw new Error(answer.detail ?? res.statusText);
    onSignedIn(saveSession(answer.access_token));
  });

  if (!config.devSignIn) {
    return (
      <>
        <PageTitle>{t('signIn.title')}</PageTitle>
        <p>{t('signIn.unavailable')}</p>
      </>
    );
  }
  const title = embedded ? null : <PageTitle>{t('signIn.title')}</PageTitle>;

  const submit = (e: Event) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (needsAgency && !/^[a-z][a-z0-9-]{1,63}$/.test(agency.trim())) problems.agency = t('signIn.agencyInvalid');
    if (needsNumber && !/^\d{10,11}$/.test(nationalNumber.trim())) problems.number = t('signIn.numberInvalid');
    setFieldErrors(problems);
    if (Object.keys(problems).length) {
      document.getElementById(problems.agency ? 'agency' : 'number')?.focus();
      return;
    }
    void signIn();
  };

  return (
    <>
      {title}
      <p>{t('signIn.intro')}</p>
      <form class="form sign-in" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t('signIn.role')}</legend>
          {ROLES.map((r) => (
            <div class="choice" key={r}>
              <input type="radio" id={`role-${r}`} name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
              <label for={`role-${r}`}>
                {t(`role.${r}`)} <span class="hint">{t(`role.${r}.hint`)}</span>
              </label>
            </div>
          ))}
        </fieldset>
        {needsAgency ? (
          <div class="field">
            <label for="agency">{t('signIn.agency')}</label>
            <p class="hint" id="agency-hint">
              {t('signIn.agencyHint')}
            </p>
            <input id="agency" name="agency" autocomplete="organization" value={agency} onInput={(e) => setAgency((e.target as HTMLInputElement).value)} aria-describedby={`agency-hint${fieldErrors.agency ? ' agency-error' : ''}`} aria-invalid={fieldErrors.agency ? 'true' : undefined} />
            {fieldErrors.agency ? (
              <p class="field-error" id="agency-error">
                {fieldErrors.agency}
              </p>
            ) : null}
          </div>
        ) : null}
        {needsNumber && people.length ? (
          <div class="field">
            <label for="person">{t('signIn.person')}</label>
            <select
              id="person"
              value={people.some((p) => (p.nationalNumber ?? p.enterpriseNumber) === nationalNumber) ? nationalNumber : ''}
              onChange={(e) => {
                const number = (e.target as HTMLSelectElement).value;
                const person = people.find((p) => (p.nationalNumber ?? p.enterpriseNumber) === number);
                setNationalNumber(number);
                if (person) setName(person.name);
              }}
            >
              <option value="">{t('signIn.personOther')}</option>
              {people.map((p) => {
                const number = p.nationalNumber ?? p.enterpriseNumber!;
                return (
                  <option key={number} value={number}>
                    {p.name} — {t(`signIn.kind.${p.kind}`)} ({number})
                  </option>
                );
              })}
            </select>
          </div>
        ) : null}
        {needsNumber ? (
          <div class="field">
            <label for="number">{t('signIn.number')}</label>
            <p class="hint" id="number-hint">
              {t('signIn.numberHint')}
            </p>
            <input id="number" name="number" inputMode="numeric" autocomplete="off" value={nationalNumber} onInput={(e) => setNationalNumber((e.target as HTMLInputElement).value)} aria-describedby={`number-hint${fieldErrors.number ? ' number-error' : ''}`} aria-invalid={fieldErrors.number ? 'true' : undefined} />
            {fieldErrors.number ? (
              <p class="field-error" id="number-error">
                {fieldErrors.number}
              </p>
            ) : null}
          </div>
        ) : null}
        <div class="field">
          <label for="name">{t('signIn.name')}</label>
          <input id="name" name="name" autocomplete="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
        <ErrorMessage error={error} />
        <button type="submit" class="button" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </>
  );
}
