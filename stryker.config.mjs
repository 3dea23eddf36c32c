// Mutation testing of the pure core (`npm run mutate`, not part of `npm test`): the domain and
// the notification rules, against their unit specs only (jest.mutation.config.js), with the
// TypeScript checker so mutants that do not compile are not counted. Globs, so pure modules added
// under libs/domain and libs/notifications are mutated without touching this file.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'libs/domain/src/**/*.ts',
    'libs/notifications/src/**/*.ts',
    '!**/*.spec.ts',
    '!**/index.ts',
    // Types only: nothing to mutate, no need to instrument and type-check them.
    '!libs/domain/src/model.ts',
    '!libs/domain/src/mandates.ts',
    // Text and I/O, not rules: the built-in message texts, and the PDF rendering of letters.
    '!libs/notifications/src/default-templates.ts',
    '!libs/notifications/src/letter.ts',
  ],
  // Copy only what the unit specs of the core need into the sandbox (not .runtime, apps, tests).
  ignorePatterns: [
    '/*',
    '!/libs',
    '/libs/*',
    '!/libs/domain',
    '!/libs/notifications',
    '!/package.json',
    '!/jest.config.js',
    '!/jest.mutation.config.js',
    '!/jest.mutation.sequencer.js',
    '!/tsconfig.base.json',
    '!/tsconfig.mutation.json',
  ],
  incremental: false,
  // Static mutants (module-level constants: regular expressions, tables) run at module load, so
  // each needs every related spec in a fresh module registry: 12 % of the mutants, over two thirds
  // of the time. Left out (reported as ignored) to keep the run well under 30 minutes on 2 cores.
  ignoreStatic: true,
  // Stryker gives half of this to TypeScript checkers (rounded up), the rest to jest runners, and
  // the checkers' share to runners once checking is done. The checker was the bottleneck at 2 (one
  // of each): 3 (two checkers) took 97 s instead of 171 s for the same 194 mutants on 2 cores.
  concurrency: 3,
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 5000,
};
