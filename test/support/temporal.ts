import { ConfigError, readTemporalConfig, type TemporalConfig } from '@levensloop/config';

/**
 * The Temporal settings of the test runtime (TEMPORAL_ADDRESS and the rest from the environment,
 * development keys unless set): every test client and worker connects with them through
 * libs/temporal, so their payloads are encrypted as the platform's are.
 */
export function testTemporalConfig(env: Record<string, string | undefined> = process.env): TemporalConfig {
  const problems: string[] = [];
  const config = readTemporalConfig(env, problems);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
