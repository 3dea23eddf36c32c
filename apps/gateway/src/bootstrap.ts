import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { LevensloopConfig } from '@levensloop/config';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { documentProblems } from './common/openapi';
import { ProblemResponse } from './catalog/dto/problem.response';

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
  if (config.gateway.corsOrigins.length) {
    // Browser apps on other origins (the console) call the same API; preflights never reach the auth guard.
    app.enableCors({
      origin: config.gateway.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Accept-Language', 'If-None-Match', 'Idempotency-Key'],
      exposedHeaders: ['ETag', 'Location', 'Idempotent-Replayed'],
      maxAge: 600,
    });
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
