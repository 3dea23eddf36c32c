import { useResource } from '../api';
import { ErrorMessage, Fact, Loading } from '../components';
import { t } from '../i18n';
import { Link } from '../router';

interface EventTypeView {
  type: string;
  source: string;
  kind: string;
  subject: { type: string; path: string };
  annuls?: string;
  description: string;
  version: number;
  builtIn: boolean;
}

/** The event types the engine knows; catalog admins register one here (or through the API, or the catalog files). */
export function EventTypesSection({ canRegister = false }: { canRegister?: boolean }) {
  const types = useResource<EventTypeView[]>('/event-types');
  return (
    <section aria-labelledby="event-types-title">
      <h2 id="event-types-title">{t('eventTypes.title')}</h2>
      <p>{t('eventTypes.intro')}</p>
      {canRegister ? (
        <p class="actions">
          <Link href="/catalog/new-event-type" class="button">
            {t('eventTypeForm.title')}
          </Link>
        </p>
      ) : null}
      <ErrorMessage error={types.error} />
      {types.loading ? <Loading /> : null}
      <ul class="cards">
        {(types.data ?? []).map((e) => (
          <li class="card" key={e.type} data-event-type={e.type}>
            <h3 class="card-title">{e.description}</h3>
            <p class="event-type-name">
              <code>{e.type}</code>
            </p>
            <dl class="facts">
              <Fact label={t('eventTypes.source')}>{e.source}</Fact>
              <Fact label={t('eventTypes.kind')}>{t(`eventTypes.kind.${e.kind}`)}</Fact>
              {e.annuls ? (
                <Fact label={t('eventTypes.annuls')}>
                  <code>{e.annuls}</code>
                </Fact>
              ) : null}
              <Fact label={t('eventTypes.subject')}>
                {t(`eventTypes.subject.${e.subject.type}`)}: <code>data.{e.subject.path}</code>
              </Fact>
              <Fact label={t('eventTypes.version')}>{e.builtIn ? t('eventTypes.builtIn') : t('catalog.version', { version: e.version })}</Fact>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
