import { useState } from 'preact/hooks';
import { ApiError, post, useResource } from '../api';
import { ErrorMessage, Field, placeProblems, ProblemSummary, SelectField, useFocusFirstInvalid } from '../components';
import { formatDate, language, LANGUAGES, t } from '../i18n';
import { hasRole, type Session } from '../session';

/** A decision's objection term and its objection, as `GET /journeys/{id}/objections` gives them. */
export interface ObjectionItemView {
  node: string;
  term: string | null;
  termEndsAt: string | null;
  reviewingAgency: string | null;
  open: boolean;
  /** The caseworker who decided a referral or overrode the decision (four eyes: not the reviewer). */
  decidedBy: string | null;
  objection?: {
    status: 'filed' | 'upheld' | 'revised';
    reason: string;
    filedBy: string;
    filedAt: string;
    termEndsAt: string;
    reviewingAgency: string;
    against: string;
    review?: { verdict: string; outcome: string; by: string; at: string; explanation: string | null };
  };
}

/**
 * Objection and appeal on a journey's page: per decision with a term, until when the citizen may
 * object (and the form), the objection's state, and for a caseworker of the reviewing agency who
 * did not decide (four eyes) the review form.
 */
export function Objections({ journeyId, titles, session, version, onChange }: { journeyId: string; titles: Record<string, string>; session: Session; version: number; onChange: () => void }) {
  const res = useResource<{ items: ObjectionItemView[] }>(`/journeys/${journeyId}/objections`, { refreshKey: version });
  const [note, setNote] = useState('');
  const items = res.data?.items.filter((i) => i.term) ?? [];
  if (!res.error && items.length === 0) return null;
  const done = (text: string) => {
    setNote(text);
    res.reload();
    onChange();
  };
  return (
    <section aria-labelledby="objections-title">
      <h2 id="objections-title">{t('objection.title')}</h2>
      <ErrorMessage error={res.error} />
      <p class="live-note" role="status">
        {note}
      </p>
      {items.map((i) => {
        const step = titles[i.node] ?? i.node;
        const o = i.objection;
        const reviewer = hasRole(session, 'caseworker') && session.agency === (o?.reviewingAgency ?? i.reviewingAgency);
        const fourEyes = !!i.decidedBy && i.decidedBy === session.sub;
        return (
          <article class="card" key={i.node} data-objection={i.node}>
            <h3>{t('objection.about', { step })}</h3>
            {!o && i.open ? <p>{t('objection.until', { date: formatDate(i.termEndsAt), term: i.term ?? '' })}</p> : null}
            {!o && !i.open && i.termEndsAt ? <p>{t('objection.ended', { date: formatDate(i.termEndsAt) })}</p> : null}
            {o ? (
              <p>
                {t(`objection.status.${o.status}`, { date: formatDate(o.filedAt), by: o.filedBy })} <q>{o.reason}</q>
              </p>
            ) : null}
            {o?.review ? (
              <p class="override-record">
                {t('objection.reviewed', { by: o.review.by, date: formatDate(o.review.at), outcome: t(`decision.${o.review.outcome}`) })} {o.review.explanation ? <q>{o.review.explanation}</q> : null}
              </p>
            ) : null}
            {i.decidedBy && hasRole(session, 'caseworker') ? <p class="hint">{t('objection.fourEyes', { by: i.decidedBy })}</p> : null}
            {!o && i.open && hasRole(session, 'citizen') ? <FileForm journeyId={journeyId} node={i.node} step={step} onDone={() => done(t('objection.filedNote', { step }))} /> : null}
            {o?.status === 'filed' && reviewer && !fourEyes ? (
              <ReviewForm journeyId={journeyId} node={i.node} step={step} against={o.against} onDone={(outcome) => done(t('objection.reviewedNote', { step, outcome: t(`decision.${outcome}`) }))} />
            ) : null}
            {o?.status === 'filed' && reviewer && fourEyes ? <p class="flag flag-warning">{t('objection.notYou')}</p> : null}
          </article>
        );
      })}
    </section>
  );
}

function FileForm({ journeyId, node, step, onDone }: { journeyId: string; node: string; step: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstInvalid(problem);
  const id = `objection-${node}`;
  const { at, other } = placeProblems(problem, ['/reason']);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await post(`/journeys/${journeyId}/decisions/${encodeURIComponent(node)}/objections`, { reason: reason.trim() });
      onDone();
    } catch (err) {
      setProblem(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" ref={formRef} onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('objection.fileTitle', { step })}</h4>
      <Field
        id={`${id}-reason`}
        label={t('objection.reason')}
        hint={t('objection.reasonHint')}
        error={at('/reason')}
        control={(p) => <textarea {...p} rows={4} required aria-required="true" value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />}
      />
      <ProblemSummary problem={problem} other={other} fixText={t('objection.fix')} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {t('objection.file')}
        </button>
      </div>
    </form>
  );
}

const VERDICTS = ['uphold', 'grant', 'deny'] as const;

function ReviewForm({ journeyId, node, step, against, onDone }: { journeyId: string; node: string; step: string; against: string; onDone: (outcome: string) => void }) {
  const [verdict, setVerdict] = useState<string>('uphold');
  const [lang, setLang] = useState<string>(language());
  const [explanation, setExplanation] = useState('');
  const [problem, setProblem] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstInvalid(problem);
  const id = `review-${node}`;
  const { at, other } = placeProblems(problem, ['/verdict', '/explanation']);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await post(`/journeys/${journeyId}/decisions/${encodeURIComponent(node)}/objection/review`, { verdict, explanation: { [lang]: explanation.trim() } });
      onDone(verdict === 'uphold' ? against : verdict);
    } catch (err) {
      setProblem(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" ref={formRef} onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('objection.reviewTitle', { step })}</h4>
      <SelectField id={`${id}-verdict`} label={t('objection.verdict')} error={at('/verdict')} value={verdict} options={VERDICTS} optionLabel={(v) => t(`objection.verdict.${v}`)} onChange={setVerdict} />
      <SelectField id={`${id}-language`} label={t('objection.explanationLanguage')} value={lang} options={LANGUAGES} optionLabel={(l) => t(`language.${l}`)} onChange={setLang} />
      <Field
        id={`${id}-explanation`}
        label={t('objection.explanation')}
        hint={t('objection.explanationHint')}
        error={at('/explanation')}
        control={(p) => <textarea {...p} rows={4} required aria-required="true" value={explanation} onInput={(e) => setExplanation((e.target as HTMLTextAreaElement).value)} />}
      />
      <ProblemSummary problem={problem} other={other} fixText={t('objection.reviewFix')} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {t('objection.reviewConfirm')}
        </button>
      </div>
    </form>
  );
}
