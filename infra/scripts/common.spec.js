// Which jest arguments make `npm test` look for (and, when missing, install) Chromium.
const { ensureChromium, ensureDeployTools, ensureMoto, ensurePyshacl, ensureSchemathesis, runsBrowserTier, runsTier } = require('./common');

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

describe('runsTier for the fuzz tier (schemathesis is installed only when it runs)', () => {
  it.each([[[]], [['--selectProjects', 'fuzz']], [['--selectProjects=unit,fuzz']], [['test/fuzz/openapi']]])('runs it for %j', (args) => {
    expect(runsTier(args, 'fuzz')).toBe(true);
  });

  it.each([[['--selectProjects', 'unit', 'browser']], [['--ignoreProjects', 'fuzz']], [['test/e2e/birth']]])('leaves it out for %j', (args) => {
    expect(runsTier(args, 'fuzz')).toBe(false);
  });

  it('ensureSchemathesis installs nothing when the tier is left out', () => {
    expect(ensureSchemathesis(['--selectProjects', 'unit'])).toBeUndefined();
  });
});

describe('runsTier for the deploy tier (kubectl, kubernetes-validate and checkov are installed only when it runs)', () => {
  it.each([[[]], [['--selectProjects', 'deploy']], [['--selectProjects=unit,deploy']], [['test/deploy/checkov']], [['--testPathPatterns', 'manifests']]])('runs it for %j', (args) => {
    expect(runsTier(args, 'deploy')).toBe(true);
  });

  it.each([[['--selectProjects', 'unit', 'fuzz']], [['--ignoreProjects', 'deploy']], [['test/e2e/birth']], [['--testPathPatterns', 'journey-workflow']]])('leaves it out for %j', (args) => {
    expect(runsTier(args, 'deploy')).toBe(false);
  });

  it('ensureDeployTools looks for nothing when the tier is left out', () => {
    const saved = process.env.KUBECTL_PATH;
    process.env.KUBECTL_PATH = '/nonexistent/kubectl';
    try {
      expect(ensureDeployTools(['--selectProjects', 'unit'])).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.KUBECTL_PATH;
      else process.env.KUBECTL_PATH = saved;
    }
  });

  it('ensureDeployTools hands over the tools it is told about, without installing', () => {
    const names = ['KUBECTL_PATH', 'KUBERNETES_VALIDATE_PATH', 'CHECKOV_PATH'];
    const saved = names.map((n) => process.env[n]);
    names.forEach((n) => (process.env[n] = `/opt/${n}`));
    try {
      expect(ensureDeployTools(['--selectProjects', 'deploy'])).toEqual({ kubectl: '/opt/KUBECTL_PATH', kubernetesValidate: '/opt/KUBERNETES_VALIDATE_PATH', checkov: '/opt/CHECKOV_PATH' });
    } finally {
      names.forEach((n, i) => (saved[i] === undefined ? delete process.env[n] : (process.env[n] = saved[i])));
    }
  });
});

describe('runsTier for one file (pySHACL is installed only when the CPSV-AP test runs)', () => {
  it.each([[[]], [['--selectProjects', 'integration']], [['--testPathPatterns', 'catalog-cpsv-ap']], [['test/integration/catalog']]])('runs it for %j', (args) => {
    expect(runsTier(args, 'integration', 'catalog-cpsv-ap.test.ts')).toBe(true);
  });

  it.each([[['--selectProjects', 'unit']], [['--testPathPatterns', 'journey-workflow']], [['--ignoreProjects', 'integration']]])('leaves it out for %j', (args) => {
    expect(runsTier(args, 'integration', 'catalog-cpsv-ap.test.ts')).toBe(false);
  });

  it('ensurePyshacl installs nothing when that test is left out, and hands over PYSHACL_PATH when it runs', () => {
    const saved = process.env.PYSHACL_PATH;
    process.env.PYSHACL_PATH = '/elsewhere/pyshacl';
    try {
      expect(ensurePyshacl(['--testPathPatterns', 'journey-workflow'])).toBeUndefined();
      expect(ensurePyshacl(['--testPathPatterns', 'cpsv-ap'])).toBe('/elsewhere/pyshacl');
    } finally {
      if (saved === undefined) delete process.env.PYSHACL_PATH;
      else process.env.PYSHACL_PATH = saved;
    }
  });

  it('ensureMoto installs nothing when no S3 store test runs, and hands over MOTO_SERVER_PATH when one does', () => {
    const saved = process.env.MOTO_SERVER_PATH;
    process.env.MOTO_SERVER_PATH = '/elsewhere/moto_server';
    try {
      expect(ensureMoto(['--selectProjects', 'unit'])).toBeUndefined();
      expect(ensureMoto(['--testPathPatterns', 'journey-workflow'])).toBeUndefined();
      expect(ensureMoto(['--testPathPatterns', 'document-stores'])).toBe('/elsewhere/moto_server');
      expect(ensureMoto(['--selectProjects', 'e2e', '--testPathPatterns', 'documents-s3'])).toBe('/elsewhere/moto_server');
    } finally {
      if (saved === undefined) delete process.env.MOTO_SERVER_PATH;
      else process.env.MOTO_SERVER_PATH = saved;
    }
  });
});
