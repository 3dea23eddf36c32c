import { useState } from 'preact/hooks';
import { ApiError, post, useResource } from '../api';
import { ErrorMessage, Fact, Field, FieldError, Loading, PageTitle, placeProblems, useFocusFirstInvalid, useSubmit } from '../components';
import { formatDate, t, tr, type Translations } from '../i18n';

type State = 'pending' | 'scheduled' | 'active' | 'expired' | 'revoked';

interface GrantedMandate {
  id: string;
  grantor: { type: string; id: string };
  grantedBy: string;
  holder: { type: string; id: string };
  scope: { lifeEvents: 'all' | string[]; access: 'read' | 'act' };
  validFrom: string;
  validUntil: string;
  reason: string;
  state: State;
  revokeReason?: string;
}

interface MyMandates {
  grantedByMe: GrantedMandate[];
  heldByMe: GrantedMandate[];
  pendingForMe: GrantedMandate[];
}

const STATE_LABEL: Record<State, () => string> = {
  pending: () => t('mandates.state.pending'),
  scheduled: () => t('mandates.state.scheduled'),
  active: () => t('mandates.state.active'),
  expired: () => t('mandates.state.expired'),
  revoked: () => t('mandates.state.revoked'),
};

const today = () => new Date().toISOString().slice(0, 10);
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);

interface Form {
  holderType: 'person' | 'enterprise';
  holderId: string;
  forEnterprise: string;
  access: 'read' | 'act';
  all: boolean;
  lifeEvents: string[];
  validFrom: string;
  validUntil: string;
  reason: string;
}

const emptyForm = (): Form => ({ holderType: 'person', holderId: '', forEnterprise: '', access: 'read', all: true, lifeEvents: [], validFrom: today(), validUntil: inAYear(), reason: '' });

/** GET/POST /me/mandates: grant a mandate, see those granted, held and waiting; accept and revoke. */
export function MyMandates() {
  const res = useResource<MyMandates>('/me/mandates');
  const lifeEvents = useResource<Array<{ key: string; titles: Translations }>>('/life-events');
  const [form, setForm] = useState<Form>(emptyForm);
  const [actionError, setActionError] = useState<ApiError | undefined>();
  const [note, setNote] = useState('');
  const { busy, problem, onSubmit } = useSubmit(async () => {
    setNote('');
    await post('/me/mandates', {
      holder: { type: form.holderType, id: form.holderId.replace(/\D/g, '') },
      ...(form.forEnterprise.trim() ? { grantor: { type: 'enterprise', id: form.forEnterprise.replace(/\D/g, '') } } : {}),
      lifeEvents: form.all ? 'all' : form.lifeEvents,
      access: form.access,
      validFrom: form.validFrom,
      validUntil: form.validUntil,
      reason: form.reason.trim(),
    });
    setForm(emptyForm());
    setNote(t('mandates.granted'));
    res.reload();
  });
  const formRef = useFocusFirstInvalid(problem);
  const titles = new Map((lifeEvents.data ?? []).map((l) => [l.key, tr(l.titles, l.key)]));
  const keys = [...titles.keys()];
  const placed = placeProblems(problem, ['/holder', '/grantor', '/lifeEvents', '/access', '/validFrom', '/validUntil', '/reason']);

  // Revoking asks why first, in the card itself (a reason of at least 3 characters).
  const [revoking, setRevoking] = useState<string | undefined>();
  const [revokeReason, setRevokeReason] = useState('');
  const act = async (m: GrantedMandate, action: 'accept' | 'revoke') => {
    setActionError(undefined);
    setNote('');
    try {
      await post(`/me/mandates/${m.id}/${action}`, action === 'revoke' ? { reason: revokeReason.trim() } : {});
      setNote(action === 'accept' ? t('mandates.acceptedNote') : t('mandates.revokedNote'));
      setRevoking(undefined);
      setRevokeReason('');
      res.reload();
    } catch (err) {
      setActionError(err as ApiError);
    }
  };

  const scopeText = (m: GrantedMandate) =>
    `${m.scope.access === 'act' ? t('mandates.access.act') : t('mandates.access.read')} — ${m.scope.lifeEvents === 'all' ? t('mandates.allLifeEvents') : m.scope.lifeEvents.map((k) => titles.get(k) ?? k).join(', ')}`;

  const card = (m: GrantedMandate, who: 'holder' | 'grantor', actions: Array<'accept' | 'revoke'>) => (
    <li class="card" key={m.id} data-mandate={m.id}>
      <h3 class="card-title">{who === 'holder' ? t('mandates.to', { who: m.holder.id }) : t('mandates.from', { who: m.grantor.id })}</h3>
      <dl class="facts">
        <Fact label={t('mandates.stateLabel')}>{STATE_LABEL[m.state]()}</Fact>
        <Fact label={t('mandates.scope')}>{scopeText(m)}</Fact>
        <Fact label={t('mandates.period')}>{t('mandates.fromUntil', { from: formatDate(m.validFrom, false), until: formatDate(m.validUntil, false) })}</Fact>
        <Fact label={t('mandates.reason')}>{m.reason}</Fact>
        {m.grantedBy !== m.grantor.id ? <Fact label={t('mandates.grantedBy')}>{m.grantedBy}</Fact> : null}
        {m.revokeReason ? <Fact label={t('mandates.revokeReason')}>{m.revokeReason}</Fact> : null}
      </dl>
      <div class="actions">
        {actions.includes('accept') ? (
          <button type="button" class="button" onClick={() => void act(m, 'accept')}>
            {t('mandates.accept')}
          </button>
        ) : null}
        {actions.includes('revoke') && revoking !== m.id && (m.state === 'pending' || m.state === 'scheduled' || m.state === 'active') ? (
          <button type="button" class="button secondary" onClick={() => setRevoking(m.id)}>
            {t('mandates.revoke')}
          </button>
        ) : null}
      </div>
      {revoking === m.id ? (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(m, 'revoke');
          }}
        >
          <Field
            id={`revoke-${m.id}`}
            label={t('mandates.revokeWhy')}
            control={(p) => <textarea {...p} rows={2} maxLength={500} required minLength={3} value={revokeReason} onInput={(e) => setRevokeReason((e.target as HTMLTextAreaElement).value)} />}
          />
          <div class="actions">
            <button type="submit" class="button" disabled={revokeReason.trim().length < 3}>
              {t('mandates.revokeConfirm')}
            </button>
            <button type="button" class="button secondary" onClick={() => setRevoking(undefined)}>
              {t('mandates.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );

  const list = (title: string, items: GrantedMandate[] | undefined, who: 'holder' | 'grantor', actions: Array<'accept' | 'revoke'>, empty: string) => (
    <section aria-labelledby={`h-${title}`}>
      <h2 id={`h-${title}`}>{t(title)}</h2>
      {items && items.length === 0 ? <p>{t(empty)}</p> : null}
      <ul class="cards">{items?.map((m) => card(m, who, actions))}</ul>
    </section>
  );

  return (
    <>
      <PageTitle>{t('nav.mandates')}</PageTitle>
      <p>{t('mandates.intro')}</p>
      <p role="status" class="live-note">
        {note}
      </p>
      <ErrorMessage error={actionError} />
      {res.error ? <ErrorMessage error={res.error} /> : null}
      {res.loading && !res.data ? <Loading /> : null}
      {list('mandates.pendingTitle', res.data?.pendingForMe, 'grantor', ['accept', 'revoke'], 'mandates.nonePending')}
      {list('mandates.heldTitle', res.data?.heldByMe, 'grantor', ['revoke'], 'mandates.noneHeld')}
      {list('mandates.grantedTitle', res.data?.grantedByMe, 'holder', ['revoke'], 'mandates.noneGranted')}

      <section aria-labelledby="h-grant">
        <h2 id="h-grant">{t('mandates.grantTitle')}</h2>
        <form class="form" ref={formRef} onSubmit={onSubmit} noValidate>
          <fieldset>
            <legend>{t('mandates.holderType')}</legend>
            {(['person', 'enterprise'] as const).map((type) => (
              <div class="choice" key={type}>
                <input type="radio" name="holder-type" id={`holder-${type}`} checked={form.holderType === type} onChange={() => setForm({ ...form, holderType: type })} />
                <label for={`holder-${type}`}>{type === 'person' ? t('mandates.holderPerson') : t('mandates.holderEnterprise')}</label>
              </div>
            ))}
          </fieldset>
          <Field
            id="holder-id"
            label={form.holderType === 'person' ? t('mandates.holderNationalNumber') : t('mandates.holderEnterpriseNumber')}
            error={placed.at('/holder')}
            control={(p) => <input {...p} inputMode="numeric" autocomplete="off" value={form.holderId} onInput={(e) => setForm({ ...form, holderId: (e.target as HTMLInputElement).value })} />}
          />
          <Field
            id="for-enterprise"
            label={t('mandates.forEnterprise')}
            hint={t('mandates.forEnterpriseHint')}
            error={placed.at('/grantor')}
            control={(p) => <input {...p} inputMode="numeric" autocomplete="off" value={form.forEnterprise} onInput={(e) => setForm({ ...form, forEnterprise: (e.target as HTMLInputElement).value })} />}
          />
          <fieldset>
            <legend>{t('mandates.accessLegend')}</legend>
            {(['read', 'act'] as const).map((a) => (
              <div class="choice" key={a}>
                <input type="radio" name="access" id={`access-${a}`} checked={form.access === a} onChange={() => setForm({ ...form, access: a })} />
                <label for={`access-${a}`}>{a === 'read' ? t('mandates.access.read') : t('mandates.access.act')}</label>
              </div>
            ))}
          </fieldset>
          <fieldset aria-invalid={placed.at('/lifeEvents') ? 'true' : undefined} aria-describedby={placed.at('/lifeEvents') ? 'life-events-error' : undefined}>
            <legend>{t('mandates.lifeEventsLegend')}</legend>
            <div class="choice">
              <input type="checkbox" id="all-life-events" checked={form.all} onChange={(e) => setForm({ ...form, all: (e.target as HTMLInputElement).checked })} />
              <label for="all-life-events">{t('mandates.allLifeEvents')}</label>
            </div>
            {!form.all
              ? keys.map((k) => (
                  <div class="choice" key={k}>
                    <input
                      type="checkbox"
                      id={`life-event-${k}`}
                      checked={form.lifeEvents.includes(k)}
                      onChange={(e) => setForm({ ...form, lifeEvents: (e.target as HTMLInputElement).checked ? [...form.lifeEvents, k] : form.lifeEvents.filter((x) => x !== k) })}
                    />
                    <label for={`life-event-${k}`}>{titles.get(k)}</label>
                  </div>
                ))
              : null}
            <FieldError id="life-events" error={placed.at('/lifeEvents')} />
          </fieldset>
          <Field id="valid-from" label={t('mandates.validFrom')} error={placed.at('/validFrom')} control={(p) => <input {...p} type="date" value={form.validFrom} onInput={(e) => setForm({ ...form, validFrom: (e.target as HTMLInputElement).value })} />} />
          <Field
            id="valid-until"
            label={t('mandates.validUntil')}
            hint={t('mandates.validUntilHint')}
            error={placed.at('/validUntil')}
            control={(p) => <input {...p} type="date" value={form.validUntil} onInput={(e) => setForm({ ...form, validUntil: (e.target as HTMLInputElement).value })} />}
          />
          <Field id="mandate-reason" label={t('mandates.reason')} error={placed.at('/reason')} control={(p) => <textarea {...p} rows={2} maxLength={500} value={form.reason} onInput={(e) => setForm({ ...form, reason: (e.target as HTMLTextAreaElement).value })} />} />
          {problem ? (
            <div class="error" role="alert">
              <p>{problem.problem.errors?.length ? t('task.fixErrors') : problem.status === 0 ? t('error.network') : problem.problem.detail}</p>
              {placed.other.length ? (
                <ul>
                  {placed.other.map((o) => (
                    <li key={o.path}>{o.message}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          <button type="submit" class="button" disabled={busy}>
            {t('mandates.grant')}
          </button>
        </form>
      </section>
    </>
  );
}
