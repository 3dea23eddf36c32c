import { useResource } from '../api';
import { ErrorMessage, Loading, PageTitle, Status } from '../components';
import { formatDate, formatRelative, t, tr } from '../i18n';
import { Link } from '../router';
import { ownIds, type Session } from '../session';
import type { JourneyDetailView } from './journey';
import type { JourneySummary } from './journeys';
import { taskTitle, type TaskView } from './tasks';
import { PaymentNeeded } from './payment';

/** A citizen's journeys (and those of whom they hold a mandate for): done, next, and what is needed from them by when. */
export function MyJourneys({ session }: { session: Session }) {
  const journeys = useResource<{ items: JourneySummary[] }>('/journeys?limit=50', { pollMs: 5000 });
  const tasks = useResource<{ items: TaskView[] }>('/tasks', { pollMs: 5000 });
  return (
    <>
      <PageTitle>{t('my.title')}</PageTitle>
      <p>{t('my.intro')}</p>
      <ErrorMessage error={journeys.error} />
      {journeys.loading ? <Loading /> : null}
      {journeys.data && journeys.data.items.length === 0 ? <p>{t('my.none')}</p> : null}
      <ul class="cards">
        {journeys.data?.items.map((j) => (
          <MyJourney key={j.id} summary={j} session={session} tasks={(tasks.data?.items ?? []).filter((tk) => tk.journeyId === j.id)} />
        ))}
      </ul>
    </>
  );
}

function MyJourney({ summary, session, tasks }: { summary: JourneySummary; session: Session; tasks: TaskView[] }) {
  const detail = useResource<JourneyDetailView>(`/journeys/${summary.id}`, { pollMs: 5000 });
  const j = detail.data;
  const done = j?.steps.filter((s) => s.status === 'completed') ?? [];
  const next = j?.steps.filter((s) => s.status === 'running' || s.status === 'waiting' || s.status === 'needs_attention') ?? [];
  const forSomeoneElse = !ownIds(session).includes(summary.subject.id);
  // A payment step waiting on the citizen: pay, or ask a new link (no task: the link is the action).
  const payments = j?.steps.filter((s) => s.status === 'waiting' && s.payment && ['open', 'failed', 'expired'].includes(s.payment.status)) ?? [];
  const titleId = `j-${summary.id}`;
  return (
    <li class="card" data-journey={summary.id}>
      <h2 class="card-title" id={titleId}>
        <Link href={`/journeys/${summary.id}`}>{tr(summary.lifeEvent.title, summary.lifeEvent.key)}</Link>
      </h2>
      <p>
        <Status value={summary.status} kind="journey" />
        {forSomeoneElse ? <span class="flag flag-mandate"> {t('my.forSubject', { subject: summary.subject.id })}</span> : null}
      </p>
      {j ? (
        <>
          <h3>{t('my.done')}</h3>
          {done.length ? (
            <ul>
              {done.map((s) => (
                <li key={s.key}>
                  {tr(s.title, s.key)} <span class="hint">({formatDate(s.completedAt, false)})</span>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('my.nothingDone')}</p>
          )}
          <h3>{t('my.next')}</h3>
          {next.length ? (
            <ul>
              {next.map((s) => (
                <li key={s.key}>
                  {tr(s.title, s.key)}: <Status value={s.status} />
                  {s.dueAt ? <span class="hint"> — {t('my.expected', { date: formatDate(s.dueAt, false) })}</span> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p>{summary.status === 'completed' ? t('my.allDone') : t('my.nothingNext')}</p>
          )}
        </>
      ) : null}
      <h3>{t('my.needed')}</h3>
      {tasks.length || payments.length ? (
        <ul>
          {payments.map((s) => (
            <PaymentNeeded key={`pay-${s.key}`} journeyId={summary.id} title={tr(s.title, s.key)} payment={s.payment!} />
          ))}
          {tasks.map((tk) => (
            <li key={tk.id}>
              <Link href={`/tasks/${encodeURIComponent(tk.id)}`}>{taskTitle(tk)}</Link>
              {tk.dueAt ? <span> — {t('tasks.due', { date: formatDate(tk.dueAt, false), relative: formatRelative(tk.dueAt) })}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('my.nothingNeeded')}</p>
      )}
    </li>
  );
}
