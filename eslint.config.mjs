// Lint: strict TypeScript, no floating promises, and the architecture's boundaries:
// workflows import only the pure domain and the contracts, and no Node built-ins or I/O.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.runtime/**', '.nx/**', 'coverage/**', 'test-results/**', '.stryker-tmp/**', 'reports/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            { sourceTag: 'type:workflows', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            { sourceTag: 'type:activities', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:lib', 'type:activities', 'type:workflows'] },
          ],
        },
      ],
    },
  },
  {
    // Workflow code must be deterministic: no Node built-ins, no I/O libraries, no activity/client SDKs.
    files: ['workflows/**/*.ts', 'libs/domain/**/*.ts', 'libs/contracts/src/workflow/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['typeorm', 'typeorm/*', 'pg', 'pg/*', 'express', '@nestjs/*', 'axios', 'undici', 'nodemailer', 'jose'], message: 'No I/O libraries in workflow code: do I/O in activities.' },
            { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'], message: 'Workflow code may use only @temporalio/workflow and @temporalio/common.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'No I/O in workflow code.' }, { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'process', message: 'No process access in workflow code.' }],
    },
  },
  {
    // Configuration is read and checked in one place (libs/config), so a bad setting stops every
    // process with the same message. The sandbox stands in for the outside world and keeps its own.
    files: ['apps/{gateway,worker,console,cli}/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @levensloop/config.' }],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
