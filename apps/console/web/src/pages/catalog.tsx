import { PageTitle } from '../components';
import { t } from '../i18n';
import type { Session } from '../session';

export function Catalog(_: { session: Session }) {
  return <PageTitle>{t('nav.catalog')}</PageTitle>;
}
export function NewStep(_: { session: Session }) {
  return <PageTitle>{t('nav.catalog')}</PageTitle>;
}
export function StepPage(_: { agency: string; stepKey: string; session: Session }) {
  return <PageTitle>{t('nav.catalog')}</PageTitle>;
}
export function LifeEventPage(_: { lifeEventKey: string; session: Session }) {
  return <PageTitle>{t('nav.catalog')}</PageTitle>;
}
