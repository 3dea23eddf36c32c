import { Controller, Get, Header, Injectable, Module, type NestMiddleware, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Public } from '../auth/decorators';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'levensloop_gateway_' });

const httpDuration = new Histogram({
  name: 'levensloop_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/** Source events (POST /events); source and type labels only take known values (unknown types are refused first). */
export const eventMetrics = {
  received: new Counter({
    name: 'levensloop_events_received_total',
    help: 'Source events stored in the inbox for the first time',
    labelNames: ['source', 'type'],
    registers: [registry],
  }),
  duplicates: new Counter({
    name: 'levensloop_events_duplicates_total',
    help: 'Source events delivered again (same source and id): answered without side effects',
    labelNames: ['source', 'type'],
    registers: [registry],
  }),
  rejected: new Counter({
    name: 'levensloop_events_rejected_total',
    help: 'Requests to POST /events refused before anything was stored, by reason',
    labelNames: ['reason'],
    registers: [registry],
  }),
  processed: new Counter({
    name: 'levensloop_events_processed_total',
    help: 'Source events processed (outcome processed or ignored), or left for a retry (deferred)',
    labelNames: ['source', 'type', 'outcome'],
    registers: [registry],
  }),
  journeys: new Counter({
    name: 'levensloop_events_journeys_total',
    help: 'Journeys affected by source events, by action (started, cancelled, signalled)',
    labelNames: ['action'],
    registers: [registry],
  }),
};

export type OnceOnlyFieldCounts = Array<{ lifeEvent: string; origin: 'prefilled' | 'asked'; count: number }>;
let onceOnlyReader: (() => Promise<OnceOnlyFieldCounts>) | undefined;
let onceOnlyCache: { at: number; counts: OnceOnlyFieldCounts } | undefined;
const ONCE_ONLY_CACHE_MS = 15_000;

/** The stats module tells the metric how to count (it owns the database access). */
export function setOnceOnlyFieldsReader(reader: () => Promise<OnceOnlyFieldCounts>) {
  onceOnlyReader = reader;
  onceOnlyCache = undefined;
}

/**
 * Counted from journey_data_fields on scrape, not incremented here: the worker writes those
 * rows, every gateway replica then reports the same totals, and a restart loses nothing. Rows
 * are never deleted, so the value only grows (a counter). Cached briefly so frequent scrapes
 * cost one GROUP BY per 15 s; when the database is down the last counts are kept.
 */
new Counter({
  name: 'levensloop_once_only_fields_total',
  help: 'Fields journey steps used, by life event and origin (prefilled from an authentic source, or asked from the citizen)',
  labelNames: ['life_event', 'origin'],
  registers: [registry],
  async collect() {
    if (!onceOnlyReader) return;
    if (!onceOnlyCache || Date.now() - onceOnlyCache.at > ONCE_ONLY_CACHE_MS) {
      try {
        onceOnlyCache = { at: Date.now(), counts: await onceOnlyReader() };
      } catch {
        if (!onceOnlyCache) return;
      }
    }
    this.reset();
    for (const c of onceOnlyCache.counts) this.inc({ life_event: c.lifeEvent, origin: c.origin }, c.count);
  },
});

@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction) {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern keeps label cardinality bounded (no ids in labels).
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      end({ method: req.method, route: `${req.baseUrl ?? ''}${route}`, status: String(res.statusCode) });
    });
    next();
  }
}

@ApiExcludeController()
@Controller('metrics')
class MetricsController {
  @Public()
  @Get()
  @Header('content-type', registry.contentType)
  metrics() {
    return registry.metrics();
  }
}

@Module({ controllers: [MetricsController] })
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*');
  }
}
