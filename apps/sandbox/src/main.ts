// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
import { pino } from 'pino';
import { startSandbox } from './app';
import { loadSandboxConfig, SandboxConfigError } from './config';

/** `node dist/apps/sandbox/src/main.js`: the sandbox as a process, configured by the environment. */
async function main() {
  const bootLogger = pino({ name: 'sandbox' });
  let config;
  try {
    config = loadSandboxConfig();
  } catch (err) {
    if (err instanceof SandboxConfigError) {
      bootLogger.fatal({ problems: err.problems }, err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = pino({ name: 'sandbox', level: config.logLevel });
  const sandbox = await startSandbox({
    port: config.port,
    host: config.host,
    publicUrl: config.publicUrl,
    audience: config.audience,
    agencyLatencyMs: config.agencyLatencyMs,
    oidcKeyFile: config.oidcKeyFile,
    populationSeed: config.populationSeed,
    sourcesToken: config.sourcesToken,
    eventsUrl: config.eventsUrl,
    smtpPort: config.smtpPort,
    smsToken: config.smsToken,
    smsCallbackSecret: config.smsCallbackSecret,
    smsReportDelayMs: config.smsReportDelayMs,
    ecounterToken: config.ecounterToken,
    mailReports: config.mailReports,
    agencySigningKeys: config.agencySigningKeys,
    tokenRateLimit: config.tokenRateLimit,
    devTokens: config.devTokens,
    consoleClientId: config.consoleClientId,
    consoleUrls: config.consoleUrls,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    signInAgencies: config.signInAgencies,
    maxTraceSpans: config.maxTraceSpans,
    paymentToken: config.paymentToken,
    paymentWebhookSecret: config.paymentWebhookSecret,
    logger,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'sandbox stopping');
      sandbox.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'sandbox did not close cleanly');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err: unknown) => {
  pino({ name: 'sandbox' }).fatal({ err }, 'sandbox failed to start');
  process.exit(1);
});
