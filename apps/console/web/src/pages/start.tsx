import { useState } from 'preact/hooks';
import { request, useResource } from '../api';
import { ErrorMessage, Fact, Loading, PageTitle, useSubmit } from '../components';
import { t, tr, type Translations } from '../i18n';
import { Link, navigate } from '../router';
import type { Session } from '../session';
import type { LifeEventView } from './journeys';

interface PreviewDataItem {
  source: string;
  sourceTitles: Translations;
  field: string;
  fieldTitles: Translations;
  purpose: Translations;
  legalBasis: { type: string; reference: string };
}
interface LifeEventPreview {
  lifeEvent: { key: string; version: number; audience: string; titles: Translations };
  steps: Array<{ node: string; titles: Translations; agency: { code: string; names: Translations }; kind: string; optional: boolean; conditional: boolean; data: PreviewDataItem[] }>;
  sources: Array<{ key: string; titles: Translations }>;
}

/** The life events a citizen may start themselves: published, for citizens. */
export function StartList() {
  const lifeEvents = useResource<LifeEventView[]>('/life-events?status=published');
  const open = (lifeEvents.data ?? []).filter((l) => l.audience === 'citizen');
  return (
    <>
      <PageTitle>{t('start.title')}</PageTitle>
      <p>{t('start.intro')}</p>
      <ErrorMessage error={lifeEvents.error} />
      {lifeEvents.loading ? <Loading /> : null}
      {lifeEvents.data && open.length === 0 ? <p>{t('start.none')}</p> : null}
      <ul class="cards">
        {open.map((l) => (
          <li class="card" key={l.key} data-life-event={l.key}>
            <h2 class="card-title">{tr(l.titles, l.key)}</h2>
            <p>
              <Link href={`/my/start/${encodeURIComponent(l.key)}`}>
                {t('start.preview')}
                <span class="visually-hidden">: {tr(l.titles, l.key)}</span>
              </Link>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Before starting: which data each step reads, from which register, why and on what legal basis; then start, once. */
export function StartLifeEvent({ lifeEventKey, session }: { lifeEventKey: string; session: Session }) {
  const preview = useResource<LifeEventPreview>(`/life-events/${encodeURIComponent(lifeEventKey)}/preview`);
  // One key per visit of this page: a second click, or a retry after a lost answer, starts nothing new.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const p = preview.data;
  // On success the console goes to the new journey: this page, and its button, are gone.
  const { busy, problem, submit } = useSubmit(async ({ lifeEvent }: LifeEventPreview) => {
    const res = await request<{ id: string }>('POST', '/journeys', {
      body: { lifeEvent: { key: lifeEvent.key, version: lifeEvent.version }, subject: { type: 'person', id: session.nationalNumber } },
      headers: { 'idempotency-key': idempotencyKey },
    });
    navigate(`/journeys/${encodeURIComponent(res.data!.id)}`);
  });
  const start = () => {
    if (!p || busy) return;
    void submit(p);
  };

  if (!p) {
    return (
      <>
        <PageTitle>{t('start.title')}</PageTitle>
        {preview.error?.status === 404 ? (
          <div class="error" role="alert">
            <p>{t('start.notOpen')}</p>
          </div>
        ) : (
          <ErrorMessage error={preview.error} />
        )}
        {preview.loading ? <Loading /> : null}
        <p>
          <Link href="/my/start">{t('start.back')}</Link>
        </p>
      </>
    );
  }
  const reading = p.steps.filter((s) => s.data.length);
  return (
    <>
      <PageTitle>{tr(p.lifeEvent.titles, p.lifeEvent.key)}</PageTitle>
      <p>{t('start.previewIntro')}</p>
      {p.sources.length ? (
        <p>{t('start.sources', { sources: p.sources.map((s) => tr(s.titles, s.key)).join(', ') })}</p>
      ) : (
        <p>{t('start.nothingRead')}</p>
      )}
      <section aria-labelledby="preview-steps-title">
        <h2 id="preview-steps-title">{t('start.steps')}</h2>
        <ol class="cards preview-steps">
          {p.steps.map((s) => (
            <li class="card" key={s.node} data-node={s.node}>
              <h3 class="card-title">{tr(s.titles, s.node)}</h3>
              <dl class="facts">
                <Fact label={t('start.agency')}>{tr(s.agency.names, s.agency.code)}</Fact>
                {s.optional || s.conditional ? <Fact label={t('start.when')}>{[s.optional ? t('start.optional') : '', s.conditional ? t('start.conditional') : ''].filter(Boolean).join(' ')}</Fact> : null}
              </dl>
              {s.data.length ? (
                <div class="table-scroll" tabIndex={0} role="group" aria-label={t('start.dataOf', { step: tr(s.titles, s.node) })}>
                  <table class="preview-data">
                    <caption>{t('start.dataOf', { step: tr(s.titles, s.node) })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('start.field')}</th>
                        <th scope="col">{t('start.source')}</th>
                        <th scope="col">{t('start.purpose')}</th>
                        <th scope="col">{t('start.legalBasis')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.data.map((d) => (
                        <tr key={`${d.source}/${d.field}`}>
                          <th scope="row">{tr(d.fieldTitles, d.field)}</th>
                          <td>{tr(d.sourceTitles, d.source)}</td>
                          <td>{tr(d.purpose, '')}</td>
                          <td>
                            {t(`catalog.basis.${d.legalBasis.type}`)}: {d.legalBasis.reference}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p class="hint">{t('start.stepReadsNothing')}</p>
              )}
            </li>
          ))}
        </ol>
      </section>
      {reading.some((s) => s.data.some((d) => d.legalBasis.type === 'consent')) ? <p>{t('start.consentAsked')}</p> : null}
      {problem ? <ErrorMessage error={problem} /> : null}
      <div class="actions">
        <button type="button" class="button" onClick={start} disabled={busy} aria-describedby="start-consequence">
          {t('start.start')}
        </button>
        <Link href="/my/start">{t('start.back')}</Link>
      </div>
      <p class="hint" id="start-consequence">
        {t('start.consequence')}
      </p>
    </>
  );
}
