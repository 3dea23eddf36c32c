// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
// Before Nest, Express and pg load: the instrumentation patches http and pg as they load.
import './tracing';
import 'reflect-metadata';
import { loadStartupConfig } from '@levensloop/config';
import { createGateway, listenGateway } from './bootstrap';

async function main() {
  // In the production profile this also asks the issuer whether it hands out development tokens.
  const config = await loadStartupConfig();
  const app = await createGateway(config);
  await listenGateway(app, config);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
