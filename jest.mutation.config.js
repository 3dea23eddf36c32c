// The unit tier of the pure core alone, for `npm run mutate` (StrykerJS): the specs next to the
// domain and the notification rules, run by Stryker's jest runner (one flat config, no projects).
const { projects } = require('./jest.config');

const unit = projects.find((p) => p.displayName === 'unit');

module.exports = {
  ...unit,
  displayName: 'mutation',
  // Only these folders are crawled for the haste map on every mutant's run.
  roots: ['<rootDir>/libs/domain/src', '<rootDir>/libs/notifications/src'],
  testMatch: ['<rootDir>/libs/{domain,notifications}/src/**/*.spec.ts'],
  // Each mutant's run loads only the spec files holding a test that covers it (see the file).
  testSequencer: '<rootDir>/jest.mutation.sequencer.js',
};
