// Six tiers (see DESIGN.md): unit (pure libs), integration (real PostgreSQL + Temporal),
// e2e (the whole stack over HTTP), browser (the console in Chromium on the whole stack), fuzz
// (schemathesis from the OpenAPI document against the whole stack), deploy (the Kubernetes
// manifests and the Dockerfile, checked offline). `npm test` starts the runtime and runs them all.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/]/g, '\\/')}$`,
    path.join('<rootDir>', target),
  ]),
);

const transform = {
  // jose and oidc-provider are ESM-only: compile them (and our TypeScript) to CommonJS for jest.
  '^.+\\.(ts|js)$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const tier = (displayName, testMatch, extra = {}) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  testMatch,
  transformIgnorePatterns: ['/node_modules/(?!(jose|oidc-provider)/)'],
  // The sandboxes of a running `npm run mutate` hold copies of the sources.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  ...extra,
});

module.exports = {
  projects: [
    tier('unit', ['<rootDir>/{libs,workflows,activities,apps}/**/*.spec.ts', '<rootDir>/infra/scripts/*.spec.js']),
    tier('integration', ['<rootDir>/test/integration/**/*.test.ts'], {
      setupFiles: ['<rootDir>/test/support/require-runtime.ts'],
    }),
    tier('e2e', ['<rootDir>/test/e2e/**/*.test.ts'], {
      setupFiles: ['<rootDir>/test/support/require-runtime.ts'],
    }),
    // The console in Debian's Chromium against the whole stack (Playwright, axe-core).
    tier('browser', ['<rootDir>/test/browser/**/*.test.ts'], {
      setupFiles: ['<rootDir>/test/support/require-runtime.ts'],
    }),
    // infra/deploy rendered with kubectl kustomize, validated offline (kubernetes-validate) and
    // scanned with checkov, with the Dockerfile; the Temporal setup Job's script against the real server.
    tier('deploy', ['<rootDir>/test/deploy/**/*.test.ts']),
    // schemathesis against the whole stack's /openapi.json, with a token per role.
    tier('fuzz', ['<rootDir>/test/fuzz/**/*.test.ts'], {
      setupFiles: ['<rootDir>/test/support/require-runtime.ts'],
    }),
  ],
};
