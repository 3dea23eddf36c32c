// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
import * as path from 'node:path';
import { loadConsoleConfig } from '@levensloop/config';
import { createConsoleServer } from './server';

try {
  const config = loadConsoleConfig();
  // dist/apps/console/src → dist/console (where the build writes the pages).
  const server = createConsoleServer(config, config.staticDir ?? path.resolve(__dirname, '..', '..', '..', 'console'));
  server.listen(config.port, config.host);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
