import { PageTitle } from '../components';
import { t } from '../i18n';

export function Dashboard() {
  return <PageTitle>{t('nav.dashboard')}</PageTitle>;
}
