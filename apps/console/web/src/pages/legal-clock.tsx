import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorMessage, useSubmit } from '../components';
import { formatDate, t } from '../i18n';

/** A step's legal clock as the journey shows it (see the API's journey detail). */
export interface StepClock {
  suspended: boolean;
  suspendedSince?: string;
  suspendedFor?: 'consent' | 'data' | 'information';
  suspendedDays: number;
  extension?: { duration: string; reason: string; by: string; at: string };
}

export interface StepInformation {
  question: string;
  dueAt: string;
  by: string;
  askedAt: string;
  answeredAt?: string;
}

interface ClockStep {
  key: string;
  kind: string;
  status: string;
  completedAt?: string;
  clock?: StepClock;
  information?: StepInformation;
  task?: { id: string; status: string };
}

/** What the legal clock did to a step's term, in words (a clock that stands still, days added, an extension). */
export function ClockFlags({ step }: { step: ClockStep }) {
  const { clock, information } = step;
  if (!clock && !information) return null;
  return (
    <>
      {clock?.suspended && clock.suspendedSince ? <p class="flag">{t(`clock.suspended.${clock.suspendedFor ?? 'data'}`, { date: formatDate(clock.suspendedSince, false) })}</p> : null}
      {information && !information.answeredAt ? <p class="hint">{t('clock.asked', { question: information.question, date: formatDate(information.dueAt, false) })}</p> : null}
      {clock && !clock.suspended && clock.suspendedDays > 0 ? <p class="hint">{t('clock.moved', { days: clock.suspendedDays })}</p> : null}
      {clock?.extension ? <p class="hint">{t('clock.extended', { duration: clock.extension.duration, reason: clock.extension.reason })}</p> : null}
    </>
  );
}

/**
 * A caseworker of the step's agency asks the citizen for information (by a date) while the step
 * waits for their task, or extends the term once with a reason. The journey says no when it may not.
 */
export function ClockActions({ journeyId, step, onDone }: { journeyId: string; step: ClockStep; onDone: () => void }) {
  const [open, setOpen] = useState<'ask' | 'extend' | undefined>();
  const [question, setQuestion] = useState('');
  const [due, setDue] = useState('');
  const [days, setDays] = useState('');
  const [reason, setReason] = useState('');
  const { busy, problem: error, onSubmit } = useSubmit(async () => {
    const path = `/journeys/${journeyId}/steps/${encodeURIComponent(step.key)}`;
    if (open === 'ask') await post(`${path}/request-information`, { question: question.trim(), dueAt: due ? new Date(`${due}T23:59:00`).toISOString() : '' });
    else await post(`${path}/extend`, { extension: `P${days || 0}D`, reason: reason.trim() });
    setOpen(undefined);
    onDone();
  });
  const under = step.status === 'running' || step.status === 'waiting' || step.status === 'needs_attention';
  const canAsk = step.status === 'waiting' && (step.kind === 'caseworker' || step.kind === 'decision') && !(step.information && !step.information.answeredAt);
  if (!under) return null;
  const id = (name: string) => `${name}-${step.key}`;
  const errorAt = (path: string) => error?.problem.errors?.find((e) => e.path === path)?.message;
  const described = (name: string, path: string) => (errorAt(path) ? `${id(name)}-error` : undefined);

  const FieldError = ({ name, path }: { name: string; path: string }) =>
    errorAt(path) ? (
      <p class="field-error" id={`${id(name)}-error`}>
        {errorAt(path)}
      </p>
    ) : null;

  return (
    <div class="actions">
      {open === undefined ? (
        <>
          {canAsk ? (
            <button type="button" class="button small secondary" onClick={() => setOpen('ask')}>
              {t('clock.ask')}
            </button>
          ) : null}
          {step.clock?.extension ? null : (
            <button type="button" class="button small secondary" onClick={() => setOpen('extend')}>
              {t('clock.extend')}
            </button>
          )}
        </>
      ) : (
        <form class="inline-form" onSubmit={onSubmit} noValidate aria-label={t(open === 'ask' ? 'clock.ask' : 'clock.extend')}>
          {open === 'ask' ? (
            <>
              <label for={id('question')}>{t('clock.question')}</label>
              <textarea id={id('question')} rows={3} required value={question} onInput={(e) => setQuestion((e.target as HTMLTextAreaElement).value)} aria-invalid={errorAt('/question') ? 'true' : undefined} aria-describedby={described('question', '/question')} />
              <FieldError name="question" path="/question" />
              <label for={id('due')}>{t('clock.dueDate')}</label>
              <input id={id('due')} type="date" required value={due} onInput={(e) => setDue((e.target as HTMLInputElement).value)} aria-invalid={errorAt('/dueAt') ? 'true' : undefined} aria-describedby={described('due', '/dueAt')} />
              <FieldError name="due" path="/dueAt" />
            </>
          ) : (
            <>
              <label for={id('days')}>{t('clock.days')}</label>
              <input id={id('days')} type="number" min={1} max={365} required value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} aria-invalid={errorAt('/extension') ? 'true' : undefined} aria-describedby={described('days', '/extension')} />
              <FieldError name="days" path="/extension" />
              <label for={id('reason')}>{t('clock.reason')}</label>
              <input id={id('reason')} required minLength={3} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} aria-invalid={errorAt('/reason') ? 'true' : undefined} aria-describedby={described('reason', '/reason')} />
              <FieldError name="reason" path="/reason" />
            </>
          )}
          <button type="submit" class="button small" disabled={busy}>
            {t(open === 'ask' ? 'clock.askConfirm' : 'clock.extendConfirm')}
          </button>
          <button type="button" class="button small secondary" onClick={() => setOpen(undefined)}>
            {t('clock.cancel')}
          </button>
        </form>
      )}
      {error && !error.problem.errors?.length ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
