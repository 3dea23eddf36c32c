import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { pino, type Logger } from 'pino';
import { AgencySimulator } from './agencies/agency-simulator';
import { movingHouseServices } from './agencies/moving-house-services';
import { agencyRoutes } from './agencies/agency.routes';
import { AgencyCalendars } from './calendar/calendar';
import { calendarControlRoutes, calendarRoutes } from './calendar/calendar.routes';
import { controlRoutes } from './agencies/control.routes';
import { EventDelivery } from './events/delivery';
import { eventRoutes } from './events/events.routes';
import { moveRoutes } from './events/moves.routes';
import { EventPublisher } from './events/publisher';
import { Ecounter, DEFAULT_ECOUNTER_TOKEN } from './ecounter/ecounter';
import { ecounterControlRoutes, ecounterRoutes } from './ecounter/ecounter.routes';
import { errorHandler, notFoundHandler } from './http/problem';
import { requestLog } from './http/request-log';
import type { AddressLimit } from './http/rate-limit';
import { devIssuerRoutes, signDevToken, type DevIdentity } from './oidc/dev-issuer';
import { generateSigningKey, loadOrCreateSigningKey, type SigningKey } from './oidc/signing-key';
import { providerRoutes } from './oidc/provider.routes';
import { LandRegistry } from './population/land-registry';
import { Population } from './population/population';
import { populationRoutes } from './population/population.routes';
import { MailSink } from './mail/mail-sink';
import { mailControlRoutes } from './mail/mail.routes';
import { MailReporter } from './mail/bounces';
import { InjectedFailures } from './sms/channel-http';
import { DEFAULT_SMS_TOKEN, SmsGateway } from './sms/sms-gateway';
import { smsControlRoutes, smsRoutes } from './sms/sms.routes';
import { sourceControlRoutes } from './sources/control.routes';
import { SourceRegisters } from './sources/registers';
import { sourceRoutes } from './sources/source.routes';
import { evidenceRoutes } from './sources/evidence.routes';
import { TraceStore } from './traces/trace-store';
import { DEFAULT_PAYMENT_TOKEN, PaymentProvider } from './payments/payment-provider';
import { paymentControlRoutes, paymentRoutes } from './payments/payment.routes';
import { traceRoutes } from './traces/traces.routes';

export const DEFAULT_SOURCES_TOKEN = 'sandbox-sources-token';

export interface SandboxAppOptions {
  /** Base URL others reach the sandbox at; the issuer is `<publicUrl>/oidc`. Default: the listening URL. */
  publicUrl?: string;
  /** Audience of issued tokens; default `levensloop`. */
  audience?: string;
  /** Latency of agency answers without a behaviour of their own; default 0. */
  agencyLatencyMs?: number;
  /** Load (or create) the issuer's key here; default a fresh key. Ignored when `signingKey` is given. */
  oidcKeyFile?: string;
  signingKey?: SigningKey;
  /** A logger to use; otherwise one at `logLevel` (default `silent`: embedded in tests, the sandbox keeps quiet). */
  logger?: Logger;
  logLevel?: string;
  /** Call records kept before the oldest are dropped; default 100000. */
  maxCallRecords?: number;
  /** Seed of the fixture population; default `levensloop`. */
  populationSeed?: string;
  /** Bearer token the source registers accept; default `sandbox-sources-token`. */
  sourcesToken?: string;
  /** Where source events are delivered (the engine's `POST /events`); unset: recorded only. */
  eventsUrl?: string;
  /** Waits between delivery attempts of an event; default 200, 1000, 3000 ms. */
  eventRetryDelaysMs?: number[];
  /** Bearer token of the SMS gateway (`POST /sms/messages`); default `sandbox-sms-token`. */
  smsToken?: string;
  /** Key of the HMAC-SHA256 `X-Signature` on delivery reports; default `sandbox-sms-secret`. */
  smsCallbackSecret?: string;
  /** Time from acceptance to the delivery report; default 50 ms. */
  smsReportDelayMs?: number;
  /**
   * Where the mail side reports bounces of designated test addresses (`bounce…@…`), and the key it
   * signs them with (as the SMS gateway does); both unset: no reports.
   */
  mailReports?: { url: string; secret: string; delayMs?: number };
  /** Waits between delivery-report callback attempts; default 200, 1000, 3000 ms. */
  smsCallbackRetryDelaysMs?: number[];
  /** Bearer token of the e-counter (`/ecounter/...`); default `sandbox-ecounter-token`. */
  ecounterToken?: string;
  /** Per agency, the key its endpoints verify signed calls with; agencies without one accept unsigned calls. */
  agencySigningKeys?: ReadonlyMap<string, Buffer>;
  /** Development tokens per client address; default 600 per 60 s. */
  tokenRateLimit?: AddressLimit;
  /** Serve `/oidc/dev-token` (default true); without it one signs in through the provider only. */
  devTokens?: boolean;
  /** The console's client at the provider: its id (default `levensloop-console`) and base URLs (default http://127.0.0.1:3200). */
  consoleClientId?: string;
  consoleUrls?: string[];
  /** Lifetime of the provider's access tokens in seconds; default 900. */
  accessTokenTtlSeconds?: number;
  /** The agencies whose staff the sign-in page lists; default the example catalog's. */
  signInAgencies?: string[];
  /** Spans kept by the OTLP receiver (`/otlp/v1/traces`, shown at `/traces`); the oldest traces go first. Default 20000. */
  maxTraceSpans?: number;
  /** Bearer token of the payment provider (`/payments`); default `sandbox-payment-token`. */
  paymentToken?: string;
  /** Key of the payment webhooks' X-Signature; unset: the provider sends no webhooks. */
  paymentWebhookSecret?: string;
  /** Waits between webhook attempts (default 200 ms doubling to 30 s). */
  paymentWebhookRetryDelaysMs?: number[];
}

/** The example catalog's agencies (infra/catalog/agencies.yaml), whose staff the sign-in page offers. */
export const DEFAULT_SIGN_IN_AGENCIES = ['municipality', 'enterprise-counter', 'federal-finance', 'social-insurance', 'bank', 'startup-support', 'growth-package', 'health-insurer', 'child-and-family', 'childcare', 'gent', 'leuven'];

/** The population's named examples, as people to sign in as in development. */
function devIdentities(population: Population): DevIdentity[] {
  const ex = population.examples();
  const person = (kind: DevIdentity['kind'], nationalNumber: string): DevIdentity => {
    const p = population.person(nationalNumber);
    return { kind, nationalNumber, name: p ? `${p.name.given} ${p.name.family}` : nationalNumber };
  };
  return [
    person('sole-trader', ex.soleTrader.nationalNumber),
    ...ex.flemishCouple.parents.map((nn) => person('parent', nn)),
    ...ex.singleParent.parents.map((nn) => person('single-parent', nn)),
    person('no-contact', ex.personWithoutContact),
    person('elderly', ex.elderlyPerson),
    { kind: 'enterprise', enterpriseNumber: ex.company.enterpriseNumber, name: population.enterprise(ex.company.enterpriseNumber)?.name ?? ex.company.enterpriseNumber },
  ];
}

/** A person's or enterprise's name in the population, for the provider's `name` claim. */
function nameInPopulation(population: Population, number: string): string | undefined {
  if (number.length === 11) {
    const p = population.person(number);
    return p ? `${p.name.given} ${p.name.family}` : undefined;
  }
  return population.enterprise(number)?.name;
}

export interface SandboxApp {
  app: Express;
  simulator: AgencySimulator;
  population: Population;
  /** The SMTP sink's store; it listens only once `startSandbox` is given an `smtpPort`. */
  mail: MailSink;
  sms: SmsGateway;
  ecounter: Ecounter;
  /** The payment provider (payments, hosted page, refunds, webhooks). */
  payments: PaymentProvider;
  /** Spans the platform exported here (development tracing). */
  traces: TraceStore;
  /** Stops slow register answers and pending event retries. */
  dispose(): void;
  signingKey: SigningKey;
  logger: Logger;
  /** Sets the issuer's base URL once the port is known (no effect when `publicUrl` was given). */
  setListeningUrl(url: string): void;
}

export interface StartSandboxOptions extends SandboxAppOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: the sandbox is for this machine only. */
  host?: string;
  /** Port of the SMTP sink (0 picks a free one); unset: no SMTP listener. */
  smtpPort?: number;
}

export interface RunningSandbox {
  /** Where it listens, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The in-process state, for tests that start the sandbox themselves. */
  simulator: AgencySimulator;
  population: Population;
  /** The port the SMTP sink listens on (on `host`), when `smtpPort` was given. */
  smtpPort?: number;
  mail: MailSink;
  sms: SmsGateway;
  ecounter: Ecounter;
  close(): Promise<void>;
}

/** The simulated outside world as an express app: agency endpoints, their controls, and a development issuer. */
export async function createSandboxApp(options: SandboxAppOptions = {}): Promise<SandboxApp> {
  const logger = options.logger ?? pino({ name: 'sandbox', level: options.logLevel ?? 'silent' });
  const signingKey = options.signingKey ?? (options.oidcKeyFile ? await loadOrCreateSigningKey(options.oidcKeyFile) : await generateSigningKey());
  const population = new Population({ seed: options.populationSeed });
  const landRegistry = new LandRegistry(population);
  const simulator = new AgencySimulator({
    defaultLatencyMs: options.agencyLatencyMs ?? 0,
    maxCallRecords: options.maxCallRecords,
    services: movingHouseServices(population, landRegistry),
  });
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  let listeningUrl: string | undefined;
  const registers = new SourceRegisters(options.sourcesToken ?? DEFAULT_SOURCES_TOKEN);
  const audience = options.audience ?? 'levensloop';
  // Events carry a token of the sandbox's own issuer, like any caller of the engine.
  const sourceToken = async (source: string) =>
    (await signDevToken({ role: 'source', source, sub: `source:${source}`, ttlSeconds: 300 }, { signingKey, issuer: `${publicUrl ?? listeningUrl}/oidc`, audience })).access_token;
  const publisher = new EventPublisher(new EventDelivery({ url: options.eventsUrl, token: sourceToken, retryDelaysMs: options.eventRetryDelaysMs }));

  const mailReporter = options.mailReports ? new MailReporter({ logger, ...options.mailReports }) : undefined;
  const mail = new MailSink({ logger, ...(mailReporter ? { onStored: (m) => mailReporter.received(m) } : {}) });
  const sms = new SmsGateway({
    logger,
    callbackSecret: options.smsCallbackSecret,
    reportDelayMs: options.smsReportDelayMs,
    callbackRetryDelaysMs: options.smsCallbackRetryDelaysMs,
  });
  const smsFailures = new InjectedFailures();
  const ecounter = new Ecounter();
  const ecounterFailures = new InjectedFailures();

  const payments = new PaymentProvider({
    logger,
    webhookSecret: options.paymentWebhookSecret,
    baseUrl: () => publicUrl ?? listeningUrl ?? '',
    retryDelaysMs: options.paymentWebhookRetryDelaysMs,
  });

  const traces = new TraceStore(options.maxTraceSpans);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Before the request log (every process exports each second) and the 1 MB body limit.
  app.use(traceRoutes(traces));
  app.use(requestLog(logger));
  app.use(
    express.json({
      limit: '1mb',
      type: ['application/json', 'application/*+json'],
      // The exact bytes, for the agencies' signature check (Content-Digest).
      verify: (req, _res, buf) => {
        (req as typeof req & { rawBody?: Buffer }).rawBody = buf;
      },
    }),
  );
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const calendars = new AgencyCalendars();
  app.use(calendarRoutes(calendars, options.agencySigningKeys));
  app.use(calendarControlRoutes(calendars));
  app.use(agencyRoutes(simulator, options.agencySigningKeys));
  app.use(controlRoutes(simulator));
  app.use(sourceRoutes(population, registers));
  app.use(evidenceRoutes(population, registers));
  app.use(sourceControlRoutes(registers));
  app.use(populationRoutes(population));
  app.use(eventRoutes(population, publisher));
  app.use(moveRoutes(population, landRegistry, publisher));
  app.use(mailControlRoutes(mail));
  app.use(smsRoutes(sms, smsFailures, options.smsToken ?? DEFAULT_SMS_TOKEN));
  app.use(smsControlRoutes(sms, smsFailures));
  app.use(ecounterRoutes(ecounter, ecounterFailures, options.ecounterToken ?? DEFAULT_ECOUNTER_TOKEN));
  app.use(ecounterControlRoutes(ecounter, ecounterFailures));
  app.use(paymentRoutes(payments, options.paymentToken ?? DEFAULT_PAYMENT_TOKEN));
  app.use(paymentControlRoutes(payments));
  const identities = () => devIdentities(population);
  app.use(devIssuerRoutes({ signingKey, audience, baseUrl: () => publicUrl ?? listeningUrl, identities, tokenRateLimit: options.tokenRateLimit, devTokens: options.devTokens }));
  app.use(
    providerRoutes({
      issuerFor: (req) => `${publicUrl ?? listeningUrl ?? `${req.protocol}://${req.get('host')}`}/oidc`,
      signingKey,
      audience,
      client: { clientId: options.consoleClientId ?? 'levensloop-console', consoleUrls: (options.consoleUrls ?? ['http://127.0.0.1:3200']).map((u) => u.replace(/\/+$/, '')) },
      accessTokenTtlSeconds: options.accessTokenTtlSeconds,
      choices: () => ({ citizens: identities(), agencies: options.signInAgencies ?? DEFAULT_SIGN_IN_AGENCIES }),
      nameOf: (number) => identities().find((i) => (i.nationalNumber ?? i.enterpriseNumber) === number)?.name ?? nameInPopulation(population, number),
      logger,
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);

  return {
    app,
    simulator,
    population,
    mail,
    sms,
    ecounter,
    payments,
    traces,
    dispose: () => {
      payments.dispose();
      registers.dispose();
      publisher.dispose();
      sms.dispose();
      mailReporter?.dispose();
      smsFailures.dispose();
      ecounterFailures.dispose();
    },
    signingKey,
    logger,
    setListeningUrl: (url) => {
      listeningUrl = url.replace(/\/+$/, '');
    },
  };
}

/** Creates the sandbox and listens; `{ port: 0 }` for tests. */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const sandbox = await createSandboxApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<Express['listen']>>((resolve, reject) => {
    const s = sandbox.app.listen(options.port, host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let smtpPort: number | undefined;
  try {
    if (options.smtpPort !== undefined) smtpPort = await sandbox.mail.listen(options.smtpPort, host);
  } catch (err) {
    server.close();
    sandbox.dispose();
    throw err;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  sandbox.setListeningUrl(url);
  sandbox.logger.info({ url, smtpPort, issuer: `${options.publicUrl?.replace(/\/+$/, '') ?? url}/oidc`, kid: sandbox.signingKey.kid }, 'sandbox listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    simulator: sandbox.simulator,
    population: sandbox.population,
    ...(smtpPort !== undefined ? { smtpPort } : {}),
    mail: sandbox.mail,
    sms: sandbox.sms,
    ecounter: sandbox.ecounter,
    close: () =>
      (closing ??= Promise.all([
        new Promise<void>((resolve, reject) => {
          sandbox.simulator.dispose();
          sandbox.dispose();
          server.close((err) => (err ? reject(err) : resolve()));
          server.closeAllConnections();
        }),
        sandbox.mail.close(),
      ]).then(() => undefined)),
  };
}
