import { useEffect, useState } from 'preact/hooks';
import { PageTitle } from '../components';
import { t } from '../i18n';
import { Link } from '../router';
import { completeProviderSignIn, completeProviderSignOut } from '../oidc';
import type { Session } from '../session';

/** Back from the issuer's sign-in page: the code is exchanged for tokens, then on to where the person was going. */
export function SignInCallback({ onSignedIn }: { onSignedIn: (s: Session, next?: string) => void }) {
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const answer = new URLSearchParams(location.search);
    if (answer.get('error')) {
      setError(answer.get('error') === 'access_denied' ? t('signIn.cancelled') : t('signIn.failed', { error: answer.get('error_description') ?? answer.get('error')! }));
      return;
    }
    completeProviderSignIn().then(
      ({ session, next }) => onSignedIn(session, next),
      (err: unknown) => setError(t('signIn.failed', { error: err instanceof Error ? err.message : String(err) })),
    );
  }, []);
  return (
    <>
      <PageTitle>{t('signIn.title')}</PageTitle>
      {error ? (
        <>
          <p role="alert">{error}</p>
          <p>
            <Link href="/sign-in">{t('signIn.again')}</Link>
          </p>
        </>
      ) : (
        <p role="status">{t('signIn.signingIn')}</p>
      )}
    </>
  );
}

/** Back from the issuer's end-session page. */
export function SignedOut() {
  useEffect(() => {
    void completeProviderSignOut();
  }, []);
  return (
    <>
      <PageTitle>{t('signOut.title')}</PageTitle>
      <p role="status">{t('signOut.done')}</p>
      <p>
        <Link href="/sign-in">{t('signIn.again')}</Link>
      </p>
    </>
  );
}
