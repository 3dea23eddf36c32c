// Which jest arguments make `npm test` look for (and, when missing, install) Chromium.
const { ensureChromium, runsBrowserTier } = require('./common');

describe('runsBrowserTier', () => {
  it.each([
    [[]],
    [['--selectProjects', 'browser']],
    [['--selectProjects', 'unit', 'browser']],
    [['--selectProjects=e2e,browser']],
    [['--ignoreProjects', 'unit']],
    [['test/browser/admin']],
    [['--selectProjects', 'browser', '--testPathPatterns', 'admin']],
    [['-t', 'publishes']],
    [['--testNamePattern=caseworker', '--runInBand']],
  ])('runs it for %j', (args) => {
    expect(runsBrowserTier(args)).toBe(true);
  });

  it.each([
    [['--selectProjects', 'unit']],
    [['--selectProjects=unit']],
    [['--selectProjects', 'e2e', 'integration', '--testPathPatterns', 'birth']],
    [['--ignoreProjects', 'browser']],
    [['--selectProjects', 'e2e', '--testPathPatterns', 'data-use']],
    [['test/e2e/birth']],
    [['--testPathPatterns', 'journey-workflow']],
    [['-t', 'admin', 'test/integration']],
  ])('leaves it out for %j', (args) => {
    expect(runsBrowserTier(args)).toBe(false);
  });

  it('ensureChromium looks for nothing when the tier is left out', () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      expect(ensureChromium(['--selectProjects', 'unit'])).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
