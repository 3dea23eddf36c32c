import { useState } from 'preact/hooks';
import { pointerSegments, post, useResource } from '../api';
import { ErrorMessage, Field, FormProblem, Loading, PageTitle, Status, useFocusFirstInvalid, useSubmit } from '../components';
import { formatDate, formatRelative, language, t, tr, type Translations } from '../i18n';
import { Link, useLocation } from '../router';
import type { Session } from '../session';
import { taskTitle, type TaskView } from './tasks';

interface NoticeView {
  id: string;
  kind: string;
  journeyId: string;
  step: string;
  at: string;
  subject: string;
  body: string;
  task?: { id: string; status: string; claimedBy?: string; team?: string };
}

const VIEWS = ['escalated', 'open'] as const;

/**
 * A supervisor's view of their agency: the escalated tasks (and every open one), where each is
 * (team, who holds it), and what they were told of escalations; a task's page reassigns it.
 */
export function SupervisorView({ session }: { session: Session }) {
  const { query } = useLocation();
  const view = (VIEWS as readonly string[]).includes(query.get('view') ?? '') ? query.get('view')! : 'escalated';
  const tasks = useResource<{ items: TaskView[] }>(`/tasks?view=${view}`, { pollMs: 5000 });
  const notices = useResource<{ items: NoticeView[] }>(`/supervision/notices?lang=${language()}`, { pollMs: 10000 });
  return (
    <>
      <PageTitle>{t('supervision.title', { agency: session.agency ?? '' })}</PageTitle>
      <nav class="tabs" aria-label={t('tasks.views')}>
        <ul>
          {VIEWS.map((v) => (
            <li key={v}>
              <Link href={`/supervision?view=${v}`} aria-current={v === view ? 'page' : undefined}>
                {t(`supervision.view.${v}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorMessage error={tasks.error} />
      {tasks.loading ? <Loading /> : null}
      {tasks.data && tasks.data.items.length === 0 ? <p>{t('tasks.none')}</p> : null}
      <ul class="cards task-list">
        {tasks.data?.items.map((task) => (
          <li class="card" key={task.id} data-task={task.id}>
            <h2 class="card-title">
              <Link href={`/tasks/${encodeURIComponent(task.id)}`}>{taskTitle(task)}</Link>
            </h2>
            <p>
              <Status value={task.status} kind="task" />
              {task.claimedBy ? <span class="hint"> {t('tasks.claimedBy', { who: task.claimedBy })}</span> : null}
            </p>
            <p>{task.team ? t('tasks.team', { team: task.team }) : t('tasks.noTeam')}</p>
            {task.dueAt ? (
              <p>
                {t('tasks.due', { date: formatDate(task.dueAt, false), relative: formatRelative(task.dueAt) })}
                {task.overdue ? <span class="flag flag-warning"> {t('journeys.overdueFlag')}</span> : null}
              </p>
            ) : null}
            <p>
              <Link href={`/tasks/${encodeURIComponent(task.id)}`}>
                {t('supervision.reassignLink')}
                <span class="visually-hidden">: {taskTitle(task)}</span>
              </Link>
            </p>
          </li>
        ))}
      </ul>
      <section aria-labelledby="notices-title">
        <h2 id="notices-title">{t('supervision.notices')}</h2>
        <ErrorMessage error={notices.error} />
        {notices.data && notices.data.items.length === 0 ? <p>{t('supervision.noNotices')}</p> : null}
        <ul class="cards">
          {notices.data?.items.map((n) => (
            <li class="card" key={n.id}>
              <h3 class="card-title">{n.subject}</h3>
              <p>{n.body}</p>
              <p class="hint">{formatDate(n.at, true)}</p>
              <p>
                <Link href={`/journeys/${n.journeyId}`}>{t('task.openJourney')}</Link>
              </p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** A team of the task's agency, as `GET /agencies/{code}/teams` lists it. */
interface TeamOption {
  code: string;
  names: Translations;
}

/** A supervisor moves a task to one caseworker (who holds it) or to a team's queue, with a reason. */
export function ReassignForm({ task, onDone }: { task: TaskView; onDone: () => void }) {
  const [target, setTarget] = useState<'caseworker' | 'team'>('caseworker');
  const [who, setWho] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const { busy, problem, onSubmit } = useSubmit(async () => {
    setDone('');
    await post(`/tasks/${encodeURIComponent(task.id)}/reassign`, { [target]: who.trim(), ...(reason.trim() ? { reason: reason.trim() } : {}) });
    setDone(t(target === 'team' ? 'reassign.doneTeam' : 'reassign.doneCaseworker', { who: who.trim() }));
    setWho('');
    setReason('');
    onDone();
  });
  const formRef = useFocusFirstInvalid(problem);
  const errorAt = (field: string) => problem?.problem.errors?.filter((e) => pointerSegments(e.path)[0] === field).map((e) => e.message).join(' ') || undefined;
  // The agency's registered teams: chosen from a list (an agency without any keeps a free team code).
  const teams = useResource<TeamOption[]>(`/agencies/${encodeURIComponent(task.agency)}/teams`).data ?? [];

  return (
    <form class="form" ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="reassign-title">
      <h2 id="reassign-title">{t('reassign.title')}</h2>
      <fieldset>
        <legend>{t('reassign.to')}</legend>
        {(['caseworker', 'team'] as const).map((o) => (
          <div class="choice" key={o}>
            <input type="radio" id={`reassign-${o}`} name="reassign-to" value={o} checked={target === o} onChange={() => setTarget(o)} />
            <label for={`reassign-${o}`}>{t(`reassign.to.${o}`)}</label>
          </div>
        ))}
      </fieldset>
      <Field
        id="reassign-who"
        label={t(target === 'team' ? 'reassign.team' : 'reassign.caseworker')}
        hint={t(target === 'team' ? (teams.length ? 'reassign.teamListHint' : 'reassign.teamHint') : 'reassign.caseworkerHint')}
        error={errorAt(target)}
        control={(props) =>
          target === 'team' && teams.length ? (
            <select {...props} value={who} onChange={(e) => setWho((e.target as HTMLSelectElement).value)}>
              <option value="">{t('reassign.chooseTeam')}</option>
              {teams.map((team) => (
                <option key={team.code} value={team.code}>
                  {tr(team.names, team.code)} ({team.code})
                </option>
              ))}
            </select>
          ) : (
            <input {...props} type="text" autoComplete="off" value={who} onInput={(e) => setWho((e.target as HTMLInputElement).value)} />
          )
        }
      />
      <Field id="reassign-reason" label={t('reassign.reason')} error={errorAt('reason')} control={(props) => <textarea {...props} rows={2} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />} />
      <FormProblem problem={problem} />
      <p role="status">{done}</p>
      <button type="submit" class="button" disabled={busy}>
        {t('reassign.submit')}
      </button>
    </form>
  );
}
