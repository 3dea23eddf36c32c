import { useState } from 'preact/hooks';
import { post } from '../api';
import { placeProblems, ProblemSummary, RequiredText, useFocusFirstInvalid, useSubmit } from '../components';
import { t } from '../i18n';

/** A citizen stops their own journey, with a reason; steps already done that can be undone are undone, and they are told. */
export function CancelJourney({ journeyId, onDone }: { journeyId: string; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await post(`/journeys/${encodeURIComponent(journeyId)}/cancel`, { reason: reason.trim() });
    setOpen(false);
    onDone();
  });
  const formRef = useFocusFirstInvalid(problem);
  const { at, other } = placeProblems(problem, ['/reason']);
  if (!open) {
    return (
      <section aria-labelledby="cancel-title" class="cancel-journey">
        <h2 id="cancel-title">{t('cancel.title')}</h2>
        <p>{t('cancel.intro')}</p>
        <button type="button" class="button secondary" onClick={() => setOpen(true)}>
          {t('cancel.open')}
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="cancel-title" class="cancel-journey">
      <h2 id="cancel-title">{t('cancel.title')}</h2>
      <form class="form" ref={formRef} onSubmit={onSubmit} noValidate>
        <p>{t('cancel.consequence')}</p>
        <RequiredText id="cancel-reason" label={t('cancel.reason')} hint={t('cancel.reasonHint')} error={at('/reason')} value={reason} onInput={setReason} />
        <ProblemSummary problem={problem} other={other} fixText={t('cancel.fix')} />
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            {t('cancel.confirm')}
          </button>
          <button type="button" class="button secondary" onClick={() => setOpen(false)}>
            {t('cancel.keep')}
          </button>
        </div>
      </form>
    </section>
  );
}
