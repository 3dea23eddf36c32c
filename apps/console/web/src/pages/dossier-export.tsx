import { useState } from 'preact/hooks';
import { ApiError, downloadFile } from '../api';
import { ErrorMessage } from '../components';
import { t } from '../i18n';

type Format = 'pdf' | 'json';

/**
 * A citizen downloads their dossier of the journey (GET /me/journeys/{id}/export): the PDF, tagged
 * for screen readers, or the same content as JSON. Fetched with the bearer token and saved from a
 * blob (a link cannot carry the token); every download is in the subject's access log.
 */
export function DossierExport({ journeyId, fileName }: { journeyId: string; fileName: string }) {
  const [busy, setBusy] = useState<Format | undefined>();
  const [done, setDone] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const download = async (format: Format) => {
    setBusy(format);
    setDone('');
    setError(undefined);
    try {
      await downloadFile(`/me/journeys/${encodeURIComponent(journeyId)}/export?format=${format}`, `${fileName}.${format}`);
      setDone(t('dossier.downloaded', { format: format.toUpperCase() }));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section aria-labelledby="dossier-title" class="dossier-export">
      <h2 id="dossier-title">{t('dossier.title')}</h2>
      <p>{t('dossier.intro')}</p>
      <div class="actions">
        <button type="button" class="button secondary" disabled={!!busy} onClick={() => void download('pdf')}>
          {t('dossier.pdf')}
        </button>
        <button type="button" class="button secondary" disabled={!!busy} onClick={() => void download('json')}>
          {t('dossier.json')}
        </button>
      </div>
      <p role="status" class="hint">
        {busy ? t('dossier.busy') : done}
      </p>
      <ErrorMessage error={error} />
    </section>
  );
}
