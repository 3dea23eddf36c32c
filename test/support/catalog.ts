import * as path from 'node:path';
import { CatalogService } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';

// From test/support, or from dist/test/support when compiled.
const catalogDir = path.resolve(__dirname, __filename.endsWith('.js') ? '../../../infra/catalog' : '../../infra/catalog');

/** The example catalog, as `npm start` applies it, with its endpoints in the given sandbox. */
export async function applyExampleCatalog(databaseUrl: string, sandboxUrl: string): Promise<void> {
  const ds = createDataSource(databaseUrl);
  await ds.initialize();
  try {
    await new CatalogService(ds).applyDefinitions(catalogDir, { env: { SANDBOX_URL: sandboxUrl } });
  } finally {
    await ds.destroy();
  }
}
