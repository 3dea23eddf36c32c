import { PageTitle } from '../components';
import { t } from '../i18n';

export function MyNotifications() {
  return <PageTitle>{t('nav.notifications')}</PageTitle>;
}
export function MyDataAccess() {
  return <PageTitle>{t('nav.dataAccess')}</PageTitle>;
}
export function MyPreferences() {
  return <PageTitle>{t('nav.preferences')}</PageTitle>;
}
