import { useState } from 'preact/hooks';
import { ApiError, pointerSegments, post, useResource } from '../api';
import { ErrorMessage, Fact, FormProblem, Loading, PageTitle, Status, useFocusFirstInvalid, useSubmit } from '../components';
import { formatDate, formatRelative, t, tr, type Translations } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { hasRole, ownIds, type Session } from '../session';
import { ReassignForm } from './supervision';
import { TaskDocuments, type TaskDocumentView } from './documents';
import { AppointmentPicker, appointmentText } from './appointment';

export interface TaskView {
  id: string;
  journeyId: string;
  step: string;
  agency: string;
  assignee: 'caseworker' | 'citizen';
  subject: { type: string; id: string };
  status: string;
  title: Translations;
  claimedBy?: string;
  /** The team queue the task is in (none: every caseworker of the agency). */
  team?: string;
  dueAt?: string;
  overdue: boolean;
  createdAt: string;
  purpose: 'task' | 'consent' | 'data' | 'information' | 'compensation' | 'review' | 'appeal' | 'appointment';
  fields?: string[];
  /** A request for information: what the caseworker asks; on the caseworker's own task, a request that lapsed unanswered. */
  data?: { question?: string; noAnswer?: { question: string; dueAt: string }; appointment?: { start: string; end: string } };
  /** The documents the step asks for, with what was uploaded. */
  documents?: TaskDocumentView[];
}

interface SourceView {
  key: string;
  titles: Translations;
  fields: Array<{ field: string; type: string; titles: Translations }>;
}

const VIEWS = ['open', 'mine', 'overdue'] as const;

/** A caseworker's agency inbox (open, mine, overdue), or a citizen's own tasks; polled with ETags. */
export function TaskInbox({ session }: { session: Session }) {
  const { query } = useLocation();
  const isCaseworker = hasRole(session, 'caseworker');
  const view = isCaseworker && (VIEWS as readonly string[]).includes(query.get('view') ?? '') ? query.get('view')! : 'open';
  const tasks = useResource<{ items: TaskView[] }>(`/tasks?view=${view}`, { pollMs: 5000 });
  const [error, setError] = useState<ApiError | undefined>();
  const act = async (task: TaskView, action: 'claim' | 'release') => {
    setError(undefined);
    try {
      await post(`/tasks/${encodeURIComponent(task.id)}/${action}`);
      tasks.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <>
      <PageTitle>{isCaseworker ? t('tasks.title') : t('tasks.myTitle')}</PageTitle>
      {isCaseworker ? (
        <nav class="tabs" aria-label={t('tasks.views')}>
          <ul>
            {VIEWS.map((v) => (
              <li key={v}>
                <Link href={`/tasks?view=${v}`} aria-current={v === view ? 'page' : undefined}>
                  {t(`tasks.view.${v}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <p>{t('tasks.citizenIntro')}</p>
      )}
      <ErrorMessage error={error ?? tasks.error} />
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
              {task.claimedBy ? <span class="hint"> {task.claimedBy === session.sub ? t('tasks.claimedByYou') : t('tasks.claimedBy', { who: task.claimedBy })}</span> : null}
            </p>
            {task.team ? <p>{t('tasks.team', { team: task.team })}</p> : null}
            {task.data?.noAnswer ? <p class="flag flag-warning">{t('tasks.noAnswer', { date: formatDate(task.data.noAnswer.dueAt, false) })}</p> : null}
            <p>
              {t('tasks.subject', { subject: task.subject.id })}
              {hasRole(session, 'citizen') && !ownIds(session).includes(task.subject.id) ? <span class="flag flag-mandate"> {t('journey.underMandate')}</span> : null}
            </p>
            {task.dueAt ? (
              <p>
                {t('tasks.due', { date: formatDate(task.dueAt, false), relative: formatRelative(task.dueAt) })}
                {task.overdue ? <span class="flag flag-warning"> {t('journeys.overdueFlag')}</span> : null}
              </p>
            ) : null}
            {isCaseworker ? (
              <div class="actions">
                {task.status === 'open' ? (
                  <button type="button" class="button small" onClick={() => act(task, 'claim')}>
                    {t('tasks.claim')}
                    <span class="visually-hidden">: {taskTitle(task)}</span>
                  </button>
                ) : null}
                {task.status === 'claimed' && task.claimedBy === session.sub ? (
                  <button type="button" class="button small secondary" onClick={() => act(task, 'release')}>
                    {t('tasks.release')}
                    <span class="visually-hidden">: {taskTitle(task)}</span>
                  </button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

export function taskTitle(task: TaskView): string {
  const title = tr(task.title, task.step);
  return task.purpose === 'task' ? title : t(`tasks.purpose.${task.purpose}`, { step: title });
}

/** One task: claim or release it, and complete it with a form made from what the step expects. */
export function TaskPage({ id, session }: { id: string; session: Session }) {
  const task = useResource<TaskView>(`/tasks/${encodeURIComponent(id)}`);
  const needsSources = task.data?.purpose === 'data' || task.data?.purpose === 'consent';
  const sources = useResource<SourceView[]>(needsSources ? '/sources' : undefined);
  const { busy, problem: error, submit: act } = useSubmit(async (taskId: string, action: 'claim' | 'release') => {
    await post(`/tasks/${encodeURIComponent(taskId)}/${action}`);
    task.reload();
  });

  if (!task.data) {
    return (
      <>
        <PageTitle>{t('task.title')}</PageTitle>
        {task.error ? <ErrorMessage error={task.error} /> : <Loading />}
      </>
    );
  }
  const tk = task.data;
  const isCaseworker = tk.assignee === 'caseworker';
  const supervises = isCaseworker && hasRole(session, 'supervisor') && !hasRole(session, 'caseworker');
  const mine = tk.claimedBy === session.sub;
  const open = tk.status === 'open' || tk.status === 'claimed';
  const canComplete = open && !supervises && (!isCaseworker || mine || tk.status === 'open');

  return (
    <>
      <PageTitle>{taskTitle(tk)}</PageTitle>
      <dl class="facts">
        <Fact label={t('task.status')}>
          <Status value={tk.status} kind="task" />
          {tk.claimedBy ? <span class="hint"> {mine ? t('tasks.claimedByYou') : t('tasks.claimedBy', { who: tk.claimedBy })}</span> : null}
        </Fact>
        {isCaseworker ? <Fact label={t('task.team')}>{tk.team ?? t('tasks.noTeam')}</Fact> : null}
        <Fact label={t('task.journey')}>
          <Link href={`/journeys/${tk.journeyId}`}>{t('task.openJourney')}</Link>
        </Fact>
        <Fact label={t('journey.subject')}>{tk.subject.id}</Fact>
        {tk.data?.noAnswer ? (
          <Fact label={t('task.noAnswerQuestion')}>
            {tk.data.noAnswer.question} <span class="flag flag-warning">{t('tasks.noAnswer', { date: formatDate(tk.data.noAnswer.dueAt, false) })}</span>
          </Fact>
        ) : null}
        {tk.data?.appointment ? <Fact label={t('appointment.when')}>{appointmentText(tk.data.appointment)}</Fact> : null}
        {tk.dueAt ? (
          <Fact label={t('journey.due')}>
            {formatDate(tk.dueAt, false)} ({formatRelative(tk.dueAt)}){tk.overdue ? <span class="flag flag-warning"> {t('journeys.overdueFlag')}</span> : null}
          </Fact>
        ) : null}
      </dl>
      <ErrorMessage error={error} />
      {tk.purpose === 'review' && open ? (
        <p>
          <Link href={`/journeys/${tk.journeyId}`}>{t('task.reviewOnJourney')}</Link>
        </p>
      ) : null}
      {tk.purpose === 'appeal' && open ? (
        <p>
          <Link href={`/journeys/${tk.journeyId}`}>{t('task.appealOnJourney')}</Link>
        </p>
      ) : null}
      {supervises && open ? <ReassignForm task={tk} onDone={() => task.reload()} /> : null}
      {isCaseworker && open && !supervises && tk.purpose !== 'review' && tk.purpose !== 'appeal' ? (
        <div class="actions">
          {tk.status === 'open' ? (
            <button type="button" class="button" disabled={busy} onClick={() => act(tk.id, 'claim')}>
              {t('tasks.claim')}
            </button>
          ) : null}
          {tk.status === 'claimed' && mine ? (
            <button type="button" class="button secondary" disabled={busy} onClick={() => act(tk.id, 'release')}>
              {t('tasks.release')}
            </button>
          ) : null}
        </div>
      ) : null}
      {canComplete && tk.documents?.length ? <TaskDocuments taskId={tk.id} documents={tk.documents} onUploaded={() => task.reload()} /> : null}
      {canComplete && tk.purpose === 'appointment' ? <AppointmentPicker taskId={tk.id} onChanged={() => task.reload()} /> : null}
      {canComplete && tk.purpose !== 'review' && tk.purpose !== 'appeal' && tk.purpose !== 'appointment' && (!needsSources || sources.data) ? <CompleteForm task={tk} sources={sources.data ?? []} onDone={() => navigate(`/journeys/${tk.journeyId}`)} /> : null}
      {!open ? <p>{t('task.closed')}</p> : null}
    </>
  );
}

/** The answer a task needs, as the API expects it: an outcome (and comment), consents, or values of typed fields. */
function CompleteForm({ task, sources, onDone }: { task: TaskView; sources: SourceView[]; onDone: () => void }) {
  const [outcome, setOutcome] = useState<string>('');
  const [comment, setComment] = useState('');
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const { busy, problem, onSubmit } = useSubmit(async () => {
    const body: Record<string, unknown> = {};
    if (task.purpose === 'task' || task.purpose === 'compensation') {
      if (outcome) body.outcome = outcome;
      if (comment.trim()) body.comment = comment.trim();
    } else if (task.purpose === 'information') {
      if (comment.trim()) body.comment = comment.trim();
    } else if (task.purpose === 'consent') body.consents = answers;
    else body.values = answers;
    await post(`/tasks/${encodeURIComponent(task.id)}/complete`, body);
    onDone();
  });
  const formRef = useFocusFirstInvalid(problem);
  const fields = (task.fields ?? []).map((id) => {
    const slash = id.indexOf('/');
    const source = sources.find((s) => s.key === id.slice(0, slash));
    const field = source?.fields.find((f) => f.field === id.slice(slash + 1));
    return { id, type: field?.type ?? 'string', label: field ? tr(field.titles, id) : id, sourceTitle: source ? tr(source.titles, source.key) : id.slice(0, slash) };
  });
  const errorAt = (...path: string[]) => problem?.problem.errors?.filter((e) => pointerSegments(e.path).join('\u0000') === path.join('\u0000')).map((e) => e.message).join(' ');
  const citizen = task.assignee === 'citizen';

  const described = (id: string, hint: boolean, error?: string) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const FieldError = ({ id, text }: { id: string; text?: string }) =>
    text ? (
      <p class="field-error" id={`${id}-error`}>
        {text}
      </p>
    ) : null;

  return (
    <form class="form" ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="complete-title">
      <h2 id="complete-title">{t('task.complete')}</h2>
      {task.purpose === 'task' || task.purpose === 'compensation' ? (
        <>
          <fieldset aria-invalid={errorAt('outcome') ? 'true' : undefined} aria-describedby={described('outcome', false, errorAt('outcome'))} tabIndex={errorAt('outcome') ? -1 : undefined}>
            <legend>{t('task.outcome')}</legend>
            {['approve', 'reject'].map((o) => (
              <div class="choice" key={o}>
                <input type="radio" id={`outcome-${o}`} name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                <label for={`outcome-${o}`}>{t(task.purpose === 'compensation' ? `task.compensation.${o}` : task.data?.appointment ? `appointment.${o}` : `task.${citizen ? 'citizen.' : ''}${o}`)}</label>
              </div>
            ))}
            <FieldError id="outcome" text={errorAt('outcome')} />
          </fieldset>
          <div class="field">
            <label for="comment">{t('task.comment')}</label>
            <p class="hint" id="comment-hint">
              {t('task.commentHint')}
            </p>
            <textarea id="comment" rows={3} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} aria-invalid={errorAt('comment') ? 'true' : undefined} aria-describedby={described('comment', true, errorAt('comment'))} />
            <FieldError id="comment" text={errorAt('comment')} />
          </div>
        </>
      ) : null}
      {task.purpose === 'information' ? (
        <div class="field">
          <p class="question" id="question">
            {task.data?.question}
          </p>
          <label for="comment">{t('task.informationAnswer')}</label>
          <p class="hint" id="comment-hint">
            {t('task.informationHint')}
          </p>
          <textarea id="comment" rows={5} value={comment} required onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} aria-invalid={errorAt('comment') ? 'true' : undefined} aria-describedby={described('comment', true, errorAt('comment'))} />
          <FieldError id="comment" text={errorAt('comment')} />
        </div>
      ) : null}
      {task.purpose === 'consent'
        ? fields.map((f, i) => {
            const err = errorAt('consents', f.id);
            return (
              <fieldset key={f.id} aria-invalid={err ? 'true' : undefined} tabIndex={err ? -1 : undefined} aria-describedby={described(`c${i}`, false, err)}>
                <legend>{t('task.consentQuestion', { field: f.label, source: f.sourceTitle })}</legend>
                <div class="choice">
                  <input type="radio" id={`c${i}-yes`} name={`c${i}`} checked={answers[f.id] === true} onChange={() => setAnswers({ ...answers, [f.id]: true })} />
                  <label for={`c${i}-yes`}>{t('task.consentYes', { source: f.sourceTitle })}</label>
                </div>
                <div class="choice">
                  <input type="radio" id={`c${i}-no`} name={`c${i}`} checked={answers[f.id] === false} onChange={() => setAnswers({ ...answers, [f.id]: false })} />
                  <label for={`c${i}-no`}>{t('task.consentNo')}</label>
                </div>
                <FieldError id={`c${i}`} text={err} />
              </fieldset>
            );
          })
        : null}
      {task.purpose === 'data'
        ? fields.map((f, i) => {
            const err = errorAt('values', f.id);
            const id = `v${i}`;
            if (f.type === 'boolean') {
              return (
                <div class="choice" key={f.id}>
                  <input type="checkbox" id={id} checked={answers[f.id] === true} onChange={(e) => setAnswers({ ...answers, [f.id]: (e.target as HTMLInputElement).checked })} aria-invalid={err ? 'true' : undefined} aria-describedby={described(id, false, err)} />
                  <label for={id}>{f.label}</label>
                  <FieldError id={id} text={err} />
                </div>
              );
            }
            return (
              <div class="field" key={f.id}>
                <label for={id}>{f.label}</label>
                <input
                  id={id}
                  type={(f.type === 'date' ? 'date' : f.type === 'number' ? 'number' : 'text') as 'text'}
                  value={(answers[f.id] as string | number | undefined) ?? ''}
                  onInput={(e) => {
                    const raw = (e.target as HTMLInputElement).value;
                    setAnswers({ ...answers, [f.id]: f.type === 'number' && raw !== '' ? Number(raw) : raw });
                  }}
                  aria-invalid={err ? 'true' : undefined}
                  aria-describedby={described(id, false, err)}
                />
                <FieldError id={id} text={err} />
              </div>
            );
          })
        : null}
      <FormProblem problem={problem} />
      <button type="submit" class="button" disabled={busy}>
        {t('task.submit')}
      </button>
    </form>
  );
}
