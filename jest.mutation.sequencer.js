// Runs only the spec files that hold a test the active mutant is run against.
//
// With perTest coverage Stryker's jest runner narrows each mutant run by test name
// (`testNamePattern`), but jest still loads every spec file to collect names and skip them:
// most of the time per mutant went into loading suites whose tests were all skipped. This
// sequencer remembers which file holds which test names from a run without a name filter (the
// dry run) and, on a run with one, drops the files where no test name matches. Jest matches
// names the same way (the regular expression, case-insensitive, against the full name), so the
// result of a run is the same; without the map, or on a run without a filter, nothing is dropped.
// Outside Stryker's worker processes (a plain `jest -c jest.mutation.config.js`) it does nothing.
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const inStryker = Boolean(process.env.STRYKER_MUTATOR_WORKER);
const mapFile = (rootDir) => path.join(rootDir, '.mutation-test-names.json');

class MutationSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.globalConfig = options.globalConfig;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    const pattern = this.globalConfig.testNamePattern;
    const names = inStryker && pattern ? readMap(this.globalConfig.rootDir) : undefined;
    if (!names) return sorted;
    const matcher = new RegExp(pattern, 'i');
    // A file not in the map (none should be) is kept: dropping is only ever an optimisation.
    const kept = sorted.filter((test) => !(test.path in names) || names[test.path].some((name) => matcher.test(name)));
    return kept.length > 0 ? kept : sorted;
  }

  cacheResults(tests, results) {
    super.cacheResults(tests, results);
    // Only the first run without a filter (Stryker's dry run) is kept: a later unfiltered run of a
    // mutant that breaks a spec file's loading would record that file without its tests.
    const target = mapFile(this.globalConfig.rootDir);
    if (!inStryker || this.globalConfig.testNamePattern || fs.existsSync(target)) return;
    const names = {};
    for (const file of results.testResults) {
      names[file.testFilePath] = file.testResults.map((test) => test.fullName);
    }
    // Written whole and renamed, so a runner in another process never reads half a file.
    const partial = `${target}.${process.pid}`;
    fs.writeFileSync(partial, JSON.stringify(names));
    fs.renameSync(partial, target);
  }
}

let cached;
function readMap(rootDir) {
  if (cached) return cached;
  try {
    cached = JSON.parse(fs.readFileSync(mapFile(rootDir), 'utf8'));
  } catch {
    return undefined;
  }
  return cached;
}

module.exports = MutationSequencer;
