import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Deliveries, DossierStatusOutbox } from '@levensloop/persistence';

/** Prometheus metrics of the dispatcher; the by-status gauge is read from the database at scrape time. */
export function createMetrics(source: { deliveries: Deliveries; dossierStatus: DossierStatusOutbox }) {
  const registry = new Registry();
  const outcomes = new Counter({ name: 'levensloop_dispatcher_sends_total', help: 'Send attempts by channel and recorded result', labelNames: ['channel', 'result'], registers: [registry] });
  const delay = new Histogram({
    name: 'levensloop_notification_delay_seconds',
    help: 'From the state change (notification or dossier-status row created) to delivery',
    labelNames: ['channel'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
    registers: [registry],
  });
  new Gauge({
    name: 'levensloop_notification_deliveries',
    help: 'Deliveries by channel and status',
    labelNames: ['channel', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await source.deliveries.countsByChannelAndStatus()) this.set({ channel: r.channel, status: r.status }, r.n);
      for (const r of await source.dossierStatus.countsByStatus()) this.set({ channel: 'dossier_status', status: r.status }, r.n);
    },
  });
  return { registry, outcomes, delay };
}
export type Metrics = ReturnType<typeof createMetrics>;
