import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
// eslint-disable-next-line @nx/enforce-module-boundaries -- by path: this file also runs as a script before aliases resolve
import { findProjectRoot } from '../../../libs/config/src/register-paths';

/** Where `npm run build` leaves the pre-built workflow bundle. */
export function bundlePath(root = findProjectRoot()): string {
  return path.join(root, 'dist', 'workflows', 'journey-workflows.bundle.js');
}

/**
 * The workflow's tracing interceptors (RunWorkflow and StartActivity spans, the trace context in
 * activity headers): always in the bundle, so the replay of committed histories covers them.
 */
export const workflowTracingModule = (root = findProjectRoot()) => path.join(root, 'workflows', 'src', 'tracing', 'interceptors.ts');

/** Bundles the workflow code (TypeScript sources, aliases resolved like tsconfig); tests may add interceptor modules. */
export async function buildWorkflowBundle(root = findProjectRoot(), extra: Pick<BundleOptions, 'workflowInterceptorModules'> = {}): Promise<WorkflowBundleWithSourceMap> {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const alias: Record<string, string> = {};
  for (const [name, [target]] of Object.entries<string[]>(tsconfig.compilerOptions.paths)) {
    alias[`${name}$`] = path.join(root, target);
  }
  return bundleWorkflowCode({
    workflowsPath: path.join(root, 'workflows', 'src', 'index.ts'),
    // The failure converter of libs/temporal's data converter, inside the workflows' sandbox too.
    failureConverterPath: path.join(root, 'libs', 'temporal', 'src', 'failure-converter.ts'),
    webpackConfigHook: (config) => {
      config.resolve = { ...config.resolve, alias: { ...(config.resolve?.alias as object), ...alias } };
      return config;
    },
    logger: new DefaultLogger('WARN'),
    workflowInterceptorModules: [workflowTracingModule(root), ...(extra.workflowInterceptorModules ?? [])],
  });
}

/** CLI: pre-builds the bundle so worker start-up does not pay for webpack. */
if (require.main === module) {
  const started = Date.now();
  buildWorkflowBundle()
    .then((bundle) => {
      const target = bundlePath();
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bundle.code);
      console.error(`workflow bundle written to ${path.relative(process.cwd(), target)} in ${Date.now() - started} ms`);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
