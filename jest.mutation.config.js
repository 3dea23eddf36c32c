// The unit tier of the pure core alone, for `npm run mutate` (StrykerJS): the specs next to the
// domain and the notification rules, run by Stryker's jest runner (one flat config, no projects).
const { projects } = require('./jest.config');

const unit = projects.find((p) => p.displayName === 'unit');

module.exports = {
  ...unit,
  displayName: 'mutation',
  testMatch: ['<rootDir>/libs/{domain,notifications}/src/**/*.spec.ts'],
};
