import { createServer, type IncomingMessage, type Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { LevensloopConfig } from '@levensloop/config';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { documentProblems } from './common/openapi';
import { ProblemResponse } from './catalog/dto/problem.response';
import { applyServerTimeouts, internalRoutes, markInternal, securityHeaders } from './limits/http-hardening';

/** Builds the gateway application (used by main.ts and by tests). */
export async function createGateway(config: LevensloopConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // Keeps each JSON body's bytes as received (req.rawBody): signed callbacks are checked over them.
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  // Strict JSON bodies with a size limit; parse errors become problem+json through the filter.
  app.useBodyParser('json', { limit: config.gateway.bodyLimit, strict: true, type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  // Behind a proxy, req.ip (the address rate limits count) is the client's as the trusted proxies forward it.
  if (config.gateway.trustProxy !== false) app.set('trust proxy', config.gateway.trustProxy);
  app.use(securityHeaders(config));
  // With GATEWAY_INTERNAL_PORT, /metrics and the API docs are there only (and only they are).
  if (config.gateway.internalPort !== undefined) app.use(internalRoutes());
  applyServerTimeouts(app.getHttpServer(), config.gateway.limits);
  const { corsOrigins } = config.gateway;
  const { uiOrigins } = config.gateway.codecServer;
  if (corsOrigins.length || uiOrigins.length) {
    // Browser apps on other origins (the console) call the same API; preflights never reach the auth guard.
    const api = {
      origin: corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Accept-Language', 'If-None-Match', 'Idempotency-Key'],
      exposedHeaders: ['ETag', 'Location', 'Idempotent-Replayed'],
      maxAge: 600,
    };
    // Temporal's Web UI calls the codec server only, with its namespace header and, when set up so, credentials.
    const codec = { origin: [...corsOrigins, ...uiOrigins], methods: ['POST'], allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace', 'X-Purpose'], credentials: true, maxAge: 600 };
    app.enableCors((req: IncomingMessage, callback: (err: Error | null, options: typeof api | typeof codec) => void) => callback(null, req.url?.startsWith('/codec/') ? codec : api));
  }

  const document = documentProblems(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Levensloop API')
      .setDescription('Life-event journeys across agencies: catalog, journeys, tasks, notifications.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemResponse] },
  ));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}

/**
 * Listens on the public port and, when GATEWAY_INTERNAL_PORT is set, on the internal one too
 * (same application; a request is marked by the listener it came through). Returns the internal
 * server, which closes with the public one.
 */
export async function listenGateway(app: NestExpressApplication, config: LevensloopConfig): Promise<Server | undefined> {
  await app.listen(config.gateway.port, config.gateway.host);
  if (config.gateway.internalPort === undefined) return undefined;
  const handler = app.getHttpAdapter().getInstance() as (req: IncomingMessage, res: unknown) => void;
  const internal = createServer((req, res) => handler(markInternal(req), res));
  applyServerTimeouts(internal, config.gateway.limits);
  await new Promise<void>((resolve, reject) => internal.once('error', reject).listen(config.gateway.internalPort, config.gateway.internalHost, () => resolve()));
  // Closes with the public server (app.close(), shutdown hooks); Nest's application object cannot be extended.
  (app.getHttpServer() as Server).once('close', () => {
    internal.close();
    internal.closeAllConnections();
  });
  return internal;
}
