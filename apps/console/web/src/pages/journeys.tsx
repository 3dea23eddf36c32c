import { useState } from 'preact/hooks';
import { useResource } from '../api';
import { ErrorMessage, Loading, PageTitle, Status } from '../components';
import { formatDate, formatRelative, t, tr, type Translations } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { hasRole, type Session } from '../session';

export interface JourneySummary {
  id: string;
  lifeEvent: { key: string; version: number; title: Translations };
  subject: { type: string; id: string };
  status: string;
  agencies: string[];
  needsAttention: boolean;
  overdue: boolean;
  nextDueAt?: string;
  startedAt: string;
  completedAt?: string;
}

export interface LifeEventView {
  key: string;
  version: number;
  status: string;
  titles: Translations;
  audience: string;
  nodes: Array<{ key: string; step: { agency: string; key: string; version: number; agencyRole?: string }; dependsOn?: string[]; optional?: boolean; condition?: unknown }>;
}

const FILTERS = ['lifeEvent', 'status', 'agency', 'subject', 'overdue', 'needsAttention'] as const;
const STATUSES = ['running', 'needs_attention', 'completed', 'cancelled'];

/** Caseworkers, admins and auditors: search journeys; keyset pages (GET /journeys?cursor=). */
export function JourneyList({ session }: { session: Session }) {
  const { query } = useLocation();
  const apiQuery = new URLSearchParams();
  for (const f of FILTERS) {
    const v = query.get(f);
    if (v) apiQuery.set(f, v);
  }
  const cursor = query.get('cursor');
  if (cursor) apiQuery.set('cursor', cursor);
  apiQuery.set('limit', '50');
  const list = useResource<{ items: JourneySummary[]; nextCursor?: string }>(`/journeys?${apiQuery}`);
  const lifeEvents = useResource<LifeEventView[]>('/life-events');
  const agencies = useResource<Array<{ code: string; names: Translations }>>('/agencies');
  const [form, setForm] = useState<Record<string, string>>(() => Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])));
  const set = (name: string) => (e: Event) => {
    const el = e.target as HTMLInputElement;
    setForm({ ...form, [name]: el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value });
  };
  const search = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) if (form[f]?.trim()) q.set(f, form[f].trim());
    navigate(`/journeys${q.toString() ? `?${q}` : ''}`);
  };
  const nextPage = () => {
    const q = new URLSearchParams(location.search);
    q.set('cursor', list.data!.nextCursor!);
    return `/journeys?${q}`;
  };
  const firstPage = () => {
    const q = new URLSearchParams(location.search);
    q.delete('cursor');
    return `/journeys${q.toString() ? `?${q}` : ''}`;
  };

  return (
    <>
      <PageTitle>{t('journeys.title')}</PageTitle>
      {hasRole(session, 'caseworker') ? <p>{t('journeys.intro', { agency: session.agency ?? '' })}</p> : null}
      <div role="search">
        <form class="filters" onSubmit={search} aria-label={t('journeys.filters')}>
          <div class="field">
            <label for="f-lifeEvent">{t('journeys.lifeEvent')}</label>
            <select id="f-lifeEvent" value={form.lifeEvent} onChange={set('lifeEvent')}>
              <option value="">{t('common.all')}</option>
              {(lifeEvents.data ?? []).map((le) => (
                <option key={le.key} value={le.key}>
                  {tr(le.titles, le.key)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-status">{t('journeys.status')}</label>
            <select id="f-status" value={form.status} onChange={set('status')}>
              <option value="">{t('common.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`journey.status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-agency">{t('journeys.agency')}</label>
            <select id="f-agency" value={form.agency} onChange={set('agency')}>
              <option value="">{t('common.all')}</option>
              {(agencies.data ?? []).map((a) => (
                <option key={a.code} value={a.code}>
                  {tr(a.names, a.code)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-subject">{t('journeys.subject')}</label>
            <input id="f-subject" inputMode="numeric" value={form.subject} onInput={set('subject')} aria-describedby="f-subject-hint" />
            <p class="hint" id="f-subject-hint">
              {t('journeys.subjectHint')}
            </p>
          </div>
          <div class="checks">
            <div class="choice">
              <input type="checkbox" id="f-overdue" checked={form.overdue === 'true'} onChange={set('overdue')} />
              <label for="f-overdue">{t('journeys.overdue')}</label>
            </div>
            <div class="choice">
              <input type="checkbox" id="f-attention" checked={form.needsAttention === 'true'} onChange={set('needsAttention')} />
              <label for="f-attention">{t('journeys.needsAttention')}</label>
            </div>
          </div>
          <button type="submit" class="button">
            {t('journeys.search')}
          </button>
        </form>
      </div>
      <section aria-labelledby="results-title">
        <h2 id="results-title">{t('journeys.results')}</h2>
        {list.loading ? <Loading /> : null}
        <ErrorMessage error={list.error} />
        {list.data ? (
          list.data.items.length === 0 ? (
            <p>{t('journeys.none')}</p>
          ) : (
            <div class="table-scroll" tabIndex={0} role="group" aria-labelledby="results-title">
              <table class="journeys">
                <thead>
                  <tr>
                    <th scope="col">{t('journeys.lifeEvent')}</th>
                    <th scope="col">{t('journeys.subject')}</th>
                    <th scope="col">{t('journeys.status')}</th>
                    <th scope="col">{t('journeys.nextDue')}</th>
                    <th scope="col">{t('journeys.started')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((j) => (
                    <tr key={j.id} data-journey={j.id}>
                      <td>
                        <Link href={`/journeys/${j.id}`}>{tr(j.lifeEvent.title, j.lifeEvent.key)}</Link>
                      </td>
                      <td>{j.subject.id}</td>
                      <td>
                        <Status value={j.status} kind="journey" />
                        {j.overdue ? <span class="flag flag-warning"> {t('journeys.overdueFlag')}</span> : null}
                      </td>
                      <td>{j.nextDueAt ? <time dateTime={j.nextDueAt}>{formatRelative(j.nextDueAt)}</time> : '–'}</td>
                      <td>
                        <time dateTime={j.startedAt}>{formatDate(j.startedAt)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : null}
        <nav class="pager" aria-label={t('journeys.pages')}>
          {cursor ? <Link href={firstPage()}>{t('journeys.firstPage')}</Link> : null}
          {list.data?.nextCursor ? <Link href={nextPage()}>{t('journeys.nextPage')}</Link> : null}
        </nav>
      </section>
    </>
  );
}
