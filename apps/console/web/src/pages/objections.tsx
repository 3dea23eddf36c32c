import { useState } from 'preact/hooks';
import { post, useResource } from '../api';
import { ErrorMessage, placeProblems, ProblemSummary, RequiredText, SelectField, useFocusFirstInvalid, useSubmit } from '../components';
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
  /** The second stage, when the step declares one: an appeal after an upheld objection. */
  appeal?: {
    term: string;
    termEndsAt: string | null;
    agency: string;
    open: boolean;
    status?: 'filed' | 'upheld' | 'revised';
    reason?: string;
    filedBy?: string;
    filedAt?: string;
    against?: string;
    decision?: { verdict: string; outcome: string; by: string; at: string; explanation: string | null };
  };
}

/** Objection or appeal: the endpoints and texts of a stage. */
type Stage = 'objection' | 'appeal';
const FILE_PATH: Record<Stage, string> = { objection: 'objections', appeal: 'appeals' };
const DECIDE_PATH: Record<Stage, string> = { objection: 'objection/review', appeal: 'appeal/decision' };

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
            {i.appeal ? <AppealStage journeyId={journeyId} item={i} step={step} session={session} done={done} /> : null}
          </article>
        );
      })}
    </section>
  );
}

/**
 * The appeal after an upheld objection: until when the citizen may appeal (and the form), the
 * appeal's state, and for a caseworker of the appeal agency who did not decide, change or review
 * the decision (four eyes) the form that decides it.
 */
function AppealStage({ journeyId, item, step, session, done }: { journeyId: string; item: ObjectionItemView; step: string; session: Session; done: (text: string) => void }) {
  const a = item.appeal!;
  const excluded = [item.decidedBy, item.objection?.review?.by].includes(session.sub);
  const decider = hasRole(session, 'caseworker') && session.agency === a.agency;
  return (
    <div class="appeal" data-appeal={item.node}>
      <h4>{t('appeal.title')}</h4>
      {!a.status && a.open && a.termEndsAt ? <p>{t('appeal.until', { date: formatDate(a.termEndsAt), term: a.term })}</p> : null}
      {!a.status && !a.open && a.termEndsAt ? <p>{t('appeal.ended', { date: formatDate(a.termEndsAt) })}</p> : null}
      {a.status ? (
        <p>
          {t(`appeal.status.${a.status}`, { date: formatDate(a.filedAt ?? null), by: a.filedBy ?? '' })} <q>{a.reason}</q>
        </p>
      ) : null}
      {a.decision ? (
        <p class="override-record">
          {t('appeal.reviewed', { by: a.decision.by, date: formatDate(a.decision.at), outcome: t(`decision.${a.decision.outcome}`) })} {a.decision.explanation ? <q>{a.decision.explanation}</q> : null}
        </p>
      ) : null}
      {!a.status && a.open && hasRole(session, 'citizen') ? <FileForm stage="appeal" journeyId={journeyId} node={item.node} step={step} onDone={() => done(t('appeal.filedNote', { step }))} /> : null}
      {a.status === 'filed' && decider && !excluded ? (
        <ReviewForm stage="appeal" journeyId={journeyId} node={item.node} step={step} against={a.against ?? ''} onDone={(outcome) => done(t('appeal.reviewedNote', { step, outcome: t(`decision.${outcome}`) }))} />
      ) : null}
      {a.status === 'filed' && decider && excluded ? <p class="flag flag-warning">{t('appeal.notYou')}</p> : null}
    </div>
  );
}

function FileForm({ stage = 'objection', journeyId, node, step, onDone }: { stage?: Stage; journeyId: string; node: string; step: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await post(`/journeys/${journeyId}/decisions/${encodeURIComponent(node)}/${FILE_PATH[stage]}`, { reason: reason.trim() });
    onDone();
  });
  const formRef = useFocusFirstInvalid(problem);
  const id = `${stage}-${node}`;
  const { at, other } = placeProblems(problem, ['/reason']);
  return (
    <form class="form" ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{stage === 'appeal' ? t('appeal.fileTitle', { step }) : t('objection.fileTitle', { step })}</h4>
      <RequiredText id={`${id}-reason`} label={stage === 'appeal' ? t('appeal.reason') : t('objection.reason')} hint={stage === 'appeal' ? t('appeal.reasonHint') : t('objection.reasonHint')} error={at('/reason')} value={reason} rows={4} onInput={setReason} />
      <ProblemSummary problem={problem} other={other} fixText={stage === 'appeal' ? t('appeal.fix') : t('objection.fix')} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {stage === 'appeal' ? t('appeal.file') : t('objection.file')}
        </button>
      </div>
    </form>
  );
}

const VERDICTS = ['uphold', 'grant', 'deny'] as const;

function ReviewForm({ stage = 'objection', journeyId, node, step, against, onDone }: { stage?: Stage; journeyId: string; node: string; step: string; against: string; onDone: (outcome: string) => void }) {
  const [verdict, setVerdict] = useState<string>('uphold');
  const [lang, setLang] = useState<string>(language());
  const [explanation, setExplanation] = useState('');
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await post(`/journeys/${journeyId}/decisions/${encodeURIComponent(node)}/${DECIDE_PATH[stage]}`, { verdict, explanation: { [lang]: explanation.trim() } });
    onDone(verdict === 'uphold' ? against : verdict);
  });
  const formRef = useFocusFirstInvalid(problem);
  const id = `${stage === 'appeal' ? 'appeal-decision' : 'review'}-${node}`;
  const { at, other } = placeProblems(problem, ['/verdict', '/explanation']);
  return (
    <form class="form" ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{stage === 'appeal' ? t('appeal.reviewTitle', { step }) : t('objection.reviewTitle', { step })}</h4>
      <SelectField id={`${id}-verdict`} label={t('objection.verdict')} error={at('/verdict')} value={verdict} options={VERDICTS} optionLabel={(v) => t(`objection.verdict.${v}`)} onChange={setVerdict} />
      <SelectField id={`${id}-language`} label={t('objection.explanationLanguage')} value={lang} options={LANGUAGES} optionLabel={(l) => t(`language.${l}`)} onChange={setLang} />
      <RequiredText id={`${id}-explanation`} label={t('objection.explanation')} hint={t('objection.explanationHint')} error={at('/explanation')} value={explanation} rows={4} onInput={setExplanation} />
      <ProblemSummary problem={problem} other={other} fixText={stage === 'appeal' ? t('appeal.reviewFix') : t('objection.reviewFix')} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {stage === 'appeal' ? t('appeal.reviewConfirm') : t('objection.reviewConfirm')}
        </button>
      </div>
    </form>
  );
}
