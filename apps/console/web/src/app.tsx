import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { setApiSession, type RuntimeConfig } from './api';
import { language, LANGUAGES, loadLanguage, t, type Language } from './i18n';
import { Link, match, navigate, useLocation } from './router';
import { clearSession, hasRole, loadSession, type Session } from './session';
import { SignIn } from './pages/sign-in';
import { SignInCallback, SignedOut } from './pages/signed-in';
import { forgetProviderUser, onProviderSession, providerSignOut } from './oidc';
import { JourneyList } from './pages/journeys';
import { JourneyDetail } from './pages/journey';
import { TaskInbox, TaskPage } from './pages/tasks';
import { MyJourneys } from './pages/my-journeys';
import { MyDataAccess, MyNotifications, MyPreferences } from './pages/me';
import { MyMandates } from './pages/mandates';
import { Catalog, StepPage, NewStep } from './pages/catalog';
import { LifeEventPage, NewLifeEvent } from './pages/life-events';
import { Dashboard } from './pages/dashboard';
import { SupervisorView } from './pages/supervision';
import { StartLifeEvent, StartList } from './pages/start';
import { MyConsents } from './pages/consents';
import { NewEventType } from './pages/event-type-form';

interface Route {
  pattern: string;
  roles?: string[];
  render: (params: Record<string, string>, session: Session) => ComponentChildren;
}

/** Who reads journeys (personal data): not catalog admins, who administer the catalog (separation of duties). */
const JOURNEY_READERS = ['caseworker', 'auditor'];
/** Who reads the aggregate figures (no personal data). */
const STAFF = [...JOURNEY_READERS, 'catalog-admin'];
const ADMINS = ['catalog-admin', 'agency-admin'];

const ROUTES: Route[] = [
  { pattern: '/journeys', roles: JOURNEY_READERS, render: (_, s) => <JourneyList session={s} /> },
  { pattern: '/journeys/:id', render: (p, s) => <JourneyDetail id={p.id} session={s} /> },
  { pattern: '/tasks', roles: ['caseworker', 'citizen'], render: (_, s) => <TaskInbox session={s} /> },
  { pattern: '/supervision', roles: ['supervisor'], render: (_, s) => <SupervisorView session={s} /> },
  { pattern: '/tasks/:id', roles: ['caseworker', 'citizen', 'supervisor'], render: (p, s) => <TaskPage id={p.id} session={s} /> },
  { pattern: '/dashboard', roles: STAFF, render: () => <Dashboard /> },
  { pattern: '/my', roles: ['citizen'], render: (_, s) => <MyJourneys session={s} /> },
  { pattern: '/my/notifications', roles: ['citizen'], render: () => <MyNotifications /> },
  { pattern: '/my/data-access', roles: ['citizen'], render: () => <MyDataAccess /> },
  { pattern: '/my/preferences', roles: ['citizen'], render: () => <MyPreferences /> },
  { pattern: '/my/mandates', roles: ['citizen'], render: () => <MyMandates /> },
  { pattern: '/catalog', roles: [...ADMINS, 'auditor'], render: (_, s) => <Catalog session={s} /> },
  { pattern: '/catalog/new-step', roles: ADMINS, render: (_, s) => <NewStep session={s} /> },
  { pattern: '/catalog/new-life-event', roles: ['catalog-admin'], render: () => <NewLifeEvent /> },
  { pattern: '/catalog/steps/:agency/:key', roles: [...ADMINS, 'auditor'], render: (p, s) => <StepPage agency={p.agency} stepKey={p.key} session={s} /> },
  { pattern: '/catalog/life-events/:key', roles: [...ADMINS, 'auditor'], render: (p, s) => <LifeEventPage lifeEventKey={p.key} session={s} /> },
  { pattern: '/my/start', roles: ['citizen'], render: () => <StartList /> },
  { pattern: '/my/start/:key', roles: ['citizen'], render: (p, s) => <StartLifeEvent lifeEventKey={p.key} session={s} /> },
  { pattern: '/my/consents', roles: ['citizen'], render: () => <MyConsents /> },
  { pattern: '/catalog/new-event-type', roles: ['catalog-admin'], render: () => <NewEventType /> },
];

export function homeOf(s: Session): string {
  if (hasRole(s, 'citizen')) return '/my';
  if (hasRole(s, 'caseworker')) return '/tasks';
  if (hasRole(s, 'supervisor')) return '/supervision';
  if (hasRole(s, 'catalog-admin', 'agency-admin')) return '/catalog';
  return '/journeys';
}

function navFor(s: Session): Array<[string, string]> {
  const items: Array<[string, string]> = [];
  if (hasRole(s, 'citizen')) items.push(['/my', 'nav.myJourneys'], ['/tasks', 'nav.myTasks'], ['/my/notifications', 'nav.notifications'], ['/my/data-access', 'nav.dataAccess'], ['/my/preferences', 'nav.preferences'], ['/my/mandates', 'nav.mandates']);
  if (hasRole(s, 'citizen')) items.push(['/my/start', 'nav.start'], ['/my/consents', 'nav.consents']);
  if (hasRole(s, 'caseworker')) items.push(['/tasks', 'nav.tasks']);
  if (hasRole(s, 'supervisor')) items.push(['/supervision', 'nav.supervision']);
  if (hasRole(s, ...JOURNEY_READERS)) items.push(['/journeys', 'nav.journeys']);
  if (hasRole(s, ...STAFF)) items.push(['/dashboard', 'nav.dashboard']);
  if (hasRole(s, ...ADMINS, 'auditor')) items.push(['/catalog', 'nav.catalog']);
  return items;
}

export function App({ config, restored }: { config: RuntimeConfig; restored?: Session }) {
  const [session, setSession] = useState<Session | undefined>(() => {
    const s = loadSession() ?? restored;
    setApiSession(s);
    return s;
  });
  const [lang, setLang] = useState<Language>(language());
  const { path } = useLocation();
  const first = useRef(true);

  useEffect(() => {
    const signedOut = () => {
      clearSession();
      void forgetProviderUser();
      setApiSession(undefined);
      setSession(undefined);
    };
    // A renewed access token replaces the old one at once; one that expired without renewal signs out.
    const stop = onProviderSession((s) => {
      setApiSession(s);
      setSession(s);
    }, signedOut);
    addEventListener('levensloop:signed-out', signedOut);
    return () => {
      stop();
      removeEventListener('levensloop:signed-out', signedOut);
    };
  }, []);

  // A new page: move focus to its heading (announced by screen readers) and name the tab after it.
  useEffect(() => {
    const id = setTimeout(() => {
      const h1 = document.getElementById('page-title');
      document.title = `${h1?.textContent ?? ''} — Levensloop`;
      if (!first.current) h1?.focus();
      first.current = false;
    }, 0);
    return () => clearTimeout(id);
  }, [path, lang, session]);

  const signedIn = (s: Session, after?: string) => {
    setApiSession(s);
    setSession(s);
    const next = after ?? new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeOf(s), true);
  };
  const signOut = () => {
    const atProvider = session?.via === 'provider';
    clearSession();
    setApiSession(undefined);
    setSession(undefined);
    // Signed in at the issuer: end that session too (its end-session page brings the browser back to /signed-out).
    if (atProvider) void providerSignOut().catch(() => navigate('/sign-in'));
    else navigate('/sign-in');
  };

  let content: ComponentChildren;
  if (path === '/signed-in') {
    content = <SignInCallback onSignedIn={signedIn} />;
  } else if (path === '/signed-out') {
    content = <SignedOut />;
  } else if (!session && path !== '/sign-in') {
    content = <Redirect to={`/sign-in${path && path !== '/' ? `?next=${encodeURIComponent(path + location.search)}` : ''}`} />;
  } else if (!session || path === '/sign-in') {
    content = <SignIn config={config} onSignedIn={signedIn} />;
  } else if (path === '/' || path === '') {
    content = <Redirect to={homeOf(session)} />;
  } else {
    const found = ROUTES.map((r) => ({ r, params: match(r.pattern, path) })).find((x) => x.params);
    if (!found) content = <NotFound />;
    else if (found.r.roles && !hasRole(session, ...found.r.roles)) content = <NotFound />;
    else content = found.r.render(found.params!, session);
  }

  return (
    <div class="layout" key={lang}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="site-header">
        <div class="brand">
          <Link href="/">Levensloop</Link>
        </div>
        {session ? (
          <nav aria-label={t('nav.label')}>
            <ul>
              {navFor(session).map(([href, key]) => (
                <li key={href}>
                  <Link href={href} aria-current={path === href ? 'page' : undefined}>
                    {t(key)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div class="tools">
          <label for="language">{t('nav.language')}</label>
          <select
            id="language"
            value={lang}
            onChange={async (e) => {
              const next = (e.target as HTMLSelectElement).value as Language;
              await loadLanguage(next);
              setLang(next);
            }}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          {session ? (
            <>
              <span class="who">{whoIs(session)}</span>
              <button type="button" class="link-button" onClick={signOut}>
                {t('nav.signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <footer class="site-footer">
        <p>{t('footer.text')}</p>
      </footer>
    </div>
  );
}

const LANGUAGE_NAMES: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', de: 'Deutsch', en: 'English' };

export function whoIs(s: Session): string {
  const role = t(`role.${s.roles[0] ?? 'unknown'}`);
  const who = s.name ?? s.agency ?? s.nationalNumber ?? s.enterpriseNumber ?? s.sub;
  return `${who} (${role})`;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function NotFound() {
  return (
    <>
      <h1 id="page-title" tabIndex={-1}>
        {t('error.pageNotFound')}
      </h1>
      <p>
        <Link href="/">{t('nav.home')}</Link>
      </p>
    </>
  );
}
