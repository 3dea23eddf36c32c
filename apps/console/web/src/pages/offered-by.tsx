import { useResource } from '../api';
import type { Translations } from '../i18n';
import { t, tr } from '../i18n';

interface OfferedBy {
  role: string;
  key: string;
  offeredBy: Array<{ agency: string; names: Translations; serves: string; version: number }>;
  notOfferedBy: Array<{ agency: string; names: Translations; serves: string }>;
}

/**
 * A life-event step named by agency role: it runs at the subject's own municipality (routed when
 * it starts), so the page lists which municipalities offer it and which do not yet.
 */
export function OfferedByRole({ role, stepKey }: { role: string; stepKey: string }) {
  const offered = useResource<OfferedBy>(`/steps/${encodeURIComponent(stepKey)}/offered-by?role=${encodeURIComponent(role)}`);
  const names = (list: Array<{ names: Translations; serves: string }>) => list.map((a) => `${tr(a.names)} (${a.serves})`).join(', ');
  return (
    <>
      {' '}
      {t('catalog.routedByRole', { step: stepKey, role: t(`agencyRole.${role}`) })}
      {offered.data ? (
        <ul>
          <li>{t('catalog.offeredBy', { agencies: names(offered.data.offeredBy) || '—' })}</li>
          {offered.data.notOfferedBy.length ? <li>{t('catalog.notOfferedBy', { agencies: names(offered.data.notOfferedBy) })}</li> : null}
        </ul>
      ) : null}
    </>
  );
}
