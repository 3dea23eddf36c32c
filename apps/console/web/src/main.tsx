import { render } from 'preact';
import { App } from './app';
import { configureApi, type RuntimeConfig } from './api';
import { initialLanguage, loadLanguage } from './i18n';
import { configureSignIn, restoreProviderSession } from './oidc';
import { configureClaims } from './session';
import './styles.css';

async function boot() {
  const [config] = await Promise.all([fetch('/config.json').then((r) => r.json() as Promise<RuntimeConfig>), loadLanguage(initialLanguage())]);
  configureApi(config, () => dispatchEvent(new Event('levensloop:signed-out')));
  configureClaims(config.claims);
  configureSignIn(config);
  const restored = await restoreProviderSession().catch(() => undefined);
  render(<App config={config} restored={restored} />, document.getElementById('app')!);
}

boot().catch((err) => {
  document.getElementById('app')!.textContent = `Levensloop could not start: ${String(err)}`;
});
