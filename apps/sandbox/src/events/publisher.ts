import type { CloudEvent } from './cloud-event';
import type { DeliveryResult, EventDelivery } from './delivery';

export interface PublishedEvent {
  event: unknown;
  /** null: recorded without delivery (`deliver: false`). */
  delivery: DeliveryResult | null;
  at: string;
}

/** Publishes source events and keeps what was published, with how delivery went, for tests. */
export class EventPublisher {
  private readonly log: PublishedEvent[] = [];

  constructor(
    private readonly delivery: EventDelivery,
    private readonly maxEvents = 10_000,
  ) {}

  async publish(event: CloudEvent | Record<string, unknown>, source: string, deliver = true): Promise<PublishedEvent> {
    const entry: PublishedEvent = { event, delivery: null, at: new Date().toISOString() };
    this.log.push(entry);
    if (this.log.length > this.maxEvents) this.log.splice(0, this.log.length - this.maxEvents);
    if (deliver) entry.delivery = await this.delivery.deliver(event, source);
    return entry;
  }

  events(filter: { type?: string; subject?: string } = {}): PublishedEvent[] {
    return this.log.filter((e) => {
      const event = e.event as { type?: unknown; subject?: unknown };
      return (!filter.type || event.type === filter.type) && (!filter.subject || event.subject === filter.subject);
    });
  }

  clear() {
    this.log.length = 0;
  }

  dispose() {
    this.delivery.dispose();
  }
}
