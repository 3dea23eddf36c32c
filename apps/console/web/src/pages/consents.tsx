import { useEffect, useRef, useState } from 'preact/hooks';
import { post, useResource } from '../api';
import { ErrorMessage, LiveNote, Loading, PageTitle, useSubmit } from '../components';
import { formatDate, language, t } from '../i18n';
import { Link } from '../router';

interface ConsentView {
  id: string;
  subject: { type: string; id: string; relation?: string };
  agency: { code: string; name: string };
  step: { key: string; node?: string; title: string };
  field: { id: string; source: string; sourceTitle: string; field: string; title: string };
  status: 'granted' | 'refused' | 'withdrawn';
  journeyId?: string;
  givenAt: string;
  withdrawnAt?: string;
}

/** GET /me/consents: which agency may read which field for which step; withdraw a consent given. */
export function MyConsents() {
  const res = useResource<{ items: ConsentView[] }>(`/me/consents?lang=${language()}`);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState<string | undefined>();
  const { busy, problem: error, submit: withdraw } = useSubmit(async (c: ConsentView) => {
    await post(`/me/consents/${encodeURIComponent(c.id)}/withdraw`);
    setConfirming(undefined);
    setNote(t('consents.withdrawn', { field: c.field.title, agency: c.agency.name }));
    res.reload();
  });
  return (
    <>
      <PageTitle>{t('consents.title')}</PageTitle>
      <p>{t('consents.intro')}</p>
      <LiveNote text={note} />
      <ErrorMessage error={error} />
      <ErrorMessage error={res.error} />
      {res.loading ? <Loading /> : null}
      {res.data && res.data.items.length === 0 ? <p>{t('consents.none')}</p> : null}
      <ul class="cards">
        {res.data?.items.map((c) => (
          <li class="card" key={c.id} data-consent={c.id}>
            <h2 class="card-title">{t('consents.what', { field: c.field.title, source: c.field.sourceTitle })}</h2>
            <p>{t('consents.who', { agency: c.agency.name, step: c.step.title })}</p>
            <p class="hint">
              {t(`consents.status.${c.status}`)} — {formatDate(c.withdrawnAt ?? c.givenAt)}
              {c.subject.relation && c.subject.relation !== 'self' ? ` — ${t('consents.for', { subject: c.subject.id })}` : ''}
            </p>
            <div class="actions">
              {c.journeyId ? <Link href={`/journeys/${c.journeyId}`}>{t('me.openJourney')}</Link> : null}
              {c.status === 'granted' && confirming !== c.id ? (
                <button type="button" class="button small secondary" onClick={() => setConfirming(c.id)}>
                  {t('consents.withdraw')}
                  <span class="visually-hidden">: {c.field.title}</span>
                </button>
              ) : null}
            </div>
            {confirming === c.id ? <ConfirmWithdraw consent={c} busy={busy} onConfirm={() => withdraw(c)} onCancel={() => setConfirming(undefined)} /> : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The second step of withdrawing: says what it means; focus moves to it so a keyboard user lands on the choice. */
function ConfirmWithdraw({ consent: c, busy, onConfirm, onCancel }: { consent: ConsentView; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div class="confirm" role="group" aria-labelledby={`confirm-${c.id}`}>
      <p id={`confirm-${c.id}`}>{t('consents.confirm', { agency: c.agency.name, field: c.field.title })}</p>
      <div class="actions">
        <button type="button" class="button small" ref={first} disabled={busy} onClick={onConfirm}>
          {t('consents.confirmWithdraw')}
        </button>
        <button type="button" class="button small secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
