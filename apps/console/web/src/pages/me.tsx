import { useEffect, useState } from 'preact/hooks';
import { CHANNELS } from '@levensloop/notifications/channels';
import { ApiError, pointerSegments, post, put, useResource } from '../api';
import { ErrorMessage, Fact, FormProblem, Loading, PageTitle, useFocusFirstInvalid, useSubmit } from '../components';
import { formatDate, language, LANGUAGES, t } from '../i18n';
import { Link } from '../router';

interface MyNotification {
  id: string;
  category: string;
  categoryTitle: string;
  journeyId: string;
  about: { type: string; id: string };
  as: 'subject' | 'mandate';
  actionNeeded: boolean;
  subject: string;
  text: string;
  read: boolean;
  createdAt: string;
  /** `forwardedTo`: it could not be delivered on that channel and went out once more on another. */
  channels: Array<{ channel: string; status: string; forwardedTo?: string }>;
}

/** GET /me/notifications: my messages as they were sent; mark one read. */
export function MyNotifications() {
  const res = useResource<{ items: MyNotification[]; nextCursor?: string }>(`/me/notifications?limit=50&lang=${language()}`, { pollMs: 10_000 });
  const [error, setError] = useState<ApiError | undefined>();
  const markRead = async (n: MyNotification) => {
    try {
      await post(`/me/notifications/${n.id}/read`);
      res.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <>
      <PageTitle>{t('nav.notifications')}</PageTitle>
      <ErrorMessage error={error} />
      {res.error ? res.error.status === 404 ? <p>{t('common.notAvailable')}</p> : <ErrorMessage error={res.error} /> : null}
      {res.loading ? <Loading /> : null}
      {res.data && res.data.items.length === 0 ? <p>{t('me.noMessages')}</p> : null}
      <ul class="cards">
        {res.data?.items.map((n) => (
          <li class={`card${n.read ? '' : ' unread'}`} key={n.id}>
            <h2 class="card-title">{n.subject || n.categoryTitle}</h2>
            <p class="hint">
              {formatDate(n.createdAt)} — {n.read ? t('me.read') : t('me.unread')}
              {n.as === 'mandate' ? ` — ${t('me.copyFor', { subject: n.about.id })}` : ''}
              {n.actionNeeded ? <strong> — {t('me.actionNeeded')}</strong> : null}
            </p>
            <p class="message-text">{n.text}</p>
            {n.channels
              .filter((c) => c.forwardedTo)
              .map((c) => (
                <p class="hint" key={c.channel}>
                  {t('me.forwarded', { from: t(`channel.${c.channel}`), to: t(`channel.${c.forwardedTo}`) })}
                </p>
              ))}
            <div class="actions">
              <Link href={`/journeys/${n.journeyId}`}>{t('me.openJourney')}</Link>
              {!n.read ? (
                <button type="button" class="button small secondary" onClick={() => markRead(n)}>
                  {t('me.markRead')}
                  <span class="visually-hidden">: {n.subject || n.categoryTitle}</span>
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

interface AccessEntry {
  id: string;
  at: string;
  subject: { id: string; relation?: string };
  journey?: { id: string; title?: string };
  step?: { title?: string };
  agency?: { name: string };
  actor: { kind: string; caseworker?: string };
  source: { title: string };
  fields: Array<{ id: string; title: string }>;
  purpose?: string;
  legalBasis: { explanation: string };
  outcome: string;
  reason?: string;
}

/** GET /me/data-access: who consulted my data (and that of whom I represent), when and why. */
export function MyDataAccess() {
  const [cursor, setCursor] = useState<string | undefined>();
  const res = useResource<{ items: AccessEntry[]; nextCursor?: string }>(`/me/data-access?limit=50&lang=${language()}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  return (
    <>
      <PageTitle>{t('nav.dataAccess')}</PageTitle>
      <p>{t('me.accessIntro')}</p>
      <ErrorMessage error={res.error} />
      {res.loading ? <Loading /> : null}
      {res.data && res.data.items.length === 0 ? <p>{t('me.noAccess')}</p> : null}
      <ul class="cards">
        {res.data?.items.map((e) => (
          <li class="card" key={e.id}>
            <h2 class="card-title">
              {t('me.accessWho', { who: e.agency?.name ?? t(`me.actor.${e.actor.kind === 'caseworker' || e.actor.kind === 'auditor' ? e.actor.kind : 'engine'}`), source: e.source.title })}
            </h2>
            <p class="hint">
              {formatDate(e.at)}
              {e.subject.relation === 'mandate' ? ` — ${t('me.aboutRepresented', { subject: e.subject.id })}` : ''}
            </p>
            <dl class="facts">
              <Fact label={t('me.fields')}>{e.fields.map((f) => f.title).join(', ') || '–'}</Fact>
              <Fact label={t('me.why')}>{e.purpose ?? '–'}</Fact>
              <Fact label={t('me.legalBasis')}>{e.legalBasis.explanation}</Fact>
              {e.journey ? (
                <Fact label={t('me.forJourney')}>
                  <Link href={`/journeys/${e.journey.id}`}>{e.journey.title ?? e.journey.id}</Link>
                  {e.step?.title ? ` — ${e.step.title}` : ''}
                </Fact>
              ) : null}
              {e.outcome !== 'granted' ? (
                <Fact label={t(e.outcome === 'refused' ? 'me.refused' : `me.outcome.${e.outcome}`)}>{e.reason ?? ''}</Fact>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
      <nav class="pager" aria-label={t('journeys.pages')}>
        {cursor ? (
          <button type="button" class="button secondary small" onClick={() => setCursor(undefined)}>
            {t('journeys.firstPage')}
          </button>
        ) : null}
        {res.data?.nextCursor ? (
          <button type="button" class="button secondary small" onClick={() => setCursor(res.data!.nextCursor)}>
            {t('journeys.nextPage')}
          </button>
        ) : null}
      </nav>
    </>
  );
}

interface Preferences {
  language: string | null;
  channels: string[];
  email: string | null;
  phone: string | null;
  postalAddress: { street: string; houseNumber?: string; postalCode: string; municipality: string; country?: string } | null;
  mandateCopies: boolean;
  prefilled: string[];
  /** Channels that cannot reach me now (no address for them yet). */
  unavailable?: Array<{ channel: string; reason: string }>;
}

const addressOf = (form: Preferences) => form.postalAddress ?? { street: '', houseNumber: '', postalCode: '', municipality: '' };

/** GET/PUT /me/preferences: my language and channels; problems shown at their fields. */
export function MyPreferences() {
  const res = useResource<Preferences>('/me/preferences');
  const [form, setForm] = useState<Preferences | undefined>();
  const [saved, setSaved] = useState('');
  const { busy, problem, onSubmit } = useSubmit(async () => {
    if (!form) return; // the form is drawn only once the preferences are here
    setSaved('');
    const address = addressOf(form);
    const hasAddress = Object.values(address).some((v) => v && String(v).trim());
    const body = {
      language: form.language || null,
      channels: form.channels,
      email: form.email?.trim() || null,
      phone: form.phone?.trim() || null,
      postalAddress: hasAddress ? { street: address.street, ...(address.houseNumber ? { houseNumber: address.houseNumber } : {}), postalCode: address.postalCode, municipality: address.municipality } : null,
      mandateCopies: form.mandateCopies,
    };
    setForm(await put<Preferences>('/me/preferences', body));
    setSaved(t('me.saved'));
  });
  const formRef = useFocusFirstInvalid(problem);
  useEffect(() => {
    if (res.data && !form) setForm(res.data);
  }, [res.data]);

  if (res.error && !res.data) {
    return (
      <>
        <PageTitle>{t('nav.preferences')}</PageTitle>
        {res.error.status === 404 ? <p>{t('common.notAvailable')}</p> : <ErrorMessage error={res.error} />}
      </>
    );
  }
  if (!form) {
    return (
      <>
        <PageTitle>{t('nav.preferences')}</PageTitle>
        <Loading />
      </>
    );
  }
  const errorAt = (...path: string[]) =>
    problem?.problem.errors
      ?.filter((e) => pointerSegments(e.path).join('/') === path.join('/') || (path.length === 1 && pointerSegments(e.path)[0] === path[0] && path[0] !== 'postalAddress'))
      .map((e) => e.message)
      .join(' ');
  const address = addressOf(form);
  const setAddress = (field: string, value: string) => setForm({ ...form, postalAddress: { ...address, [field]: value } });
  const field = (id: string, label: string, value: string, onInput: (v: string) => void, error?: string, type = 'text', autocomplete?: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type={type as 'text'} autocomplete={autocomplete} value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );

  return (
    <>
      <PageTitle>{t('nav.preferences')}</PageTitle>
      <p>{t('me.preferencesIntro')}</p>
      <form class="form" ref={formRef} onSubmit={onSubmit} noValidate>
        <div class="field">
          <label for="pref-language">{t('me.language')}</label>
          <select id="pref-language" value={form.language ?? ''} onChange={(e) => setForm({ ...form, language: (e.target as HTMLSelectElement).value || null })}>
            <option value="">{t('me.languageRegister')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <fieldset aria-invalid={errorAt('channels') ? 'true' : undefined} tabIndex={errorAt('channels') ? -1 : undefined} aria-describedby={errorAt('channels') ? 'channels-error' : 'channels-hint'}>
          <legend>{t('me.channels')}</legend>
          <p class="hint" id="channels-hint">
            {t('me.channelsHint')}
          </p>
          {CHANNELS.map((c) => {
            // As last read from the API: what is still missing to reach me this way.
            const needs = res.data?.unavailable?.some((u) => u.channel === c);
            return (
              <div class="choice" key={c}>
                <input
                  type="checkbox"
                  id={`channel-${c}`}
                  checked={form.channels.includes(c)}
                  aria-describedby={needs ? `channel-${c}-needs` : undefined}
                  onChange={(e) => setForm({ ...form, channels: (e.target as HTMLInputElement).checked ? [...form.channels, c] : form.channels.filter((x) => x !== c) })}
                />
                <label for={`channel-${c}`}>{t(`channel.${c}`)}</label>
                {needs ? (
                  <span class="hint" id={`channel-${c}-needs`}>
                    {' '}
                    {t(`me.channelNeeds.${c}`)}
                  </span>
                ) : null}
              </div>
            );
          })}
          {errorAt('channels') ? (
            <p class="field-error" id="channels-error">
              {errorAt('channels')}
            </p>
          ) : null}
        </fieldset>
        {field('pref-email', t('me.email'), form.email ?? '', (v) => setForm({ ...form, email: v }), errorAt('email'), 'email', 'email')}
        {field('pref-phone', t('me.phone'), form.phone ?? '', (v) => setForm({ ...form, phone: v }), errorAt('phone'), 'tel', 'tel')}
        <fieldset>
          <legend>{t('me.address')}</legend>
          {field('pref-street', t('me.street'), address.street, (v) => setAddress('street', v), errorAt('postalAddress', 'street'), 'text', 'address-line1')}
          {field('pref-house', t('me.houseNumber'), address.houseNumber ?? '', (v) => setAddress('houseNumber', v), errorAt('postalAddress', 'houseNumber'))}
          {field('pref-postal', t('me.postalCode'), address.postalCode, (v) => setAddress('postalCode', v), errorAt('postalAddress', 'postalCode'), 'text', 'postal-code')}
          {field('pref-municipality', t('me.municipality'), address.municipality, (v) => setAddress('municipality', v), errorAt('postalAddress', 'municipality'), 'text', 'address-level2')}
        </fieldset>
        <div class="choice">
          <input type="checkbox" id="pref-copies" checked={form.mandateCopies} onChange={(e) => setForm({ ...form, mandateCopies: (e.target as HTMLInputElement).checked })} />
          <label for="pref-copies">{t('me.mandateCopies')}</label>
        </div>
        <FormProblem problem={problem} />
        <p role="status" class="live-note">
          {saved}
        </p>
        <button type="submit" class="button" disabled={busy}>
          {t('me.save')}
        </button>
      </form>
    </>
  );
}
