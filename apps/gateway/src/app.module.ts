import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { redactingLogHooks, type LevensloopConfig } from '@levensloop/config';
import { dataSourceOptions } from '@levensloop/persistence';
import { traceLogFields } from '@levensloop/telemetry';
import { RepositoriesModule } from './access/repositories.module';
import { AuthGuard } from './auth/auth.guard';
import { CatalogModule } from './catalog/catalog.module';
import { CodecModule } from './codec/codec.module';
import { ControlCharactersGuard } from './common/control-characters';
import { ProblemDetailsFilter } from './common/problem.filter';
import { ConfigModule } from './config.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { AddressRateLimitGuard, PrincipalRateLimitGuard, rateLimitModule } from './limits/rate-limit';
import { JourneysModule } from './journeys/journeys.module';
import { MandatesModule } from './mandates/mandates.module';
import { DataAccessModule } from './data-access/data-access.module';
import { ConsentsModule } from './consents/consents.module';
import { DecisionsModule } from './decisions/decisions.module';
import { LegalClockModule } from './legal-clock/legal-clock.module';
import { StatsModule } from './stats/stats.module';
import { ObjectionsModule } from './objections/objections.module';
import { MetricsModule } from './metrics/metrics';
import { NotificationsModule } from './notifications/notifications.module';
import { TasksModule } from './tasks/tasks.module';
import { AppointmentsModule } from './appointments/appointments.module';
import { SupervisorsModule } from './supervisors/supervisors.module';
import { PaymentsModule } from './payments/payments.module';
import { RouteSpanInterceptor } from './tracing/route-span.interceptor';
import { ShutdownModule } from './shutdown/shutdown.module';
import { DossierModule } from './dossier/dossier.module';

@Module({})
export class AppModule {
  static forRoot(config: LevensloopConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
            // A decode's purpose may name people: the audit log keeps it, the request log does not.
            redact: ['req.headers.authorization', 'req.headers["x-purpose"]'],
            // National and enterprise numbers (URLs, path parameters, messages) hashed, addresses masked.
            hooks: redactingLogHooks(config.logPseudonymKey),
            // Every line of a traced request names its trace (trace_id, span_id).
            mixin: traceLogFields,
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
        rateLimitModule(config.gateway.limits, config.logPseudonymKey),
        RepositoriesModule,
        HealthModule,
        MetricsModule,
        MandatesModule,
        CatalogModule,
        JourneysModule,
        TasksModule,
        AppointmentsModule,
        EventsModule,
        DataAccessModule,
        ConsentsModule,
        DecisionsModule,
        LegalClockModule,
        StatsModule,
        ObjectionsModule,
        NotificationsModule,
        CodecModule,
        SupervisorsModule,
        DossierModule,
        PaymentsModule,
        ShutdownModule,
      ],
      providers: [
        // Guards run in this order: the address limit first (cheapest), control characters before
        // anything reads the request, then authentication, then the limit per verified principal.
        { provide: APP_GUARD, useClass: AddressRateLimitGuard },
        { provide: APP_GUARD, useClass: ControlCharactersGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: PrincipalRateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: RouteSpanInterceptor },
      ],
    };
  }
}
