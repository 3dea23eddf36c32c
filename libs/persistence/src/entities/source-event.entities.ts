import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SubjectType } from '@levensloop/domain';

export type SourceEventStatus = 'received' | 'processed' | 'ignored' | 'failed';

/**
 * The inbox of events from authentic sources (CloudEvents). The key (source, event id) makes a
 * redelivered event a no-op; rows stay `received` until processing succeeds, so a crash loses nothing.
 */
@Entity({ name: 'source_events' })
@Index('source_events_subject_idx', ['subject'])
export class SourceEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  source: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 200 })
  eventId: string;

  @Column({ type: 'varchar', length: 200 })
  type: string;

  /** Who or what the event is about (a national or enterprise number), as the event type locates it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  subject: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  time: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** The token subject that delivered it. */
  @Column({ name: 'received_by', type: 'varchar', length: 200 })
  receivedBy: string;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status: SourceEventStatus;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  /** What the event caused: journeys started, cancelled, signalled; mandates; what was skipped and why. */
  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  /** The last processing error while the row waits for a retry. */
  @Column({ type: 'text', nullable: true })
  error: string | null;
}

/** Who may act for whom (a parent for a child), granted by an authentic source's event. */
@Entity({ name: 'mandates' })
@Index('mandates_subject_idx', ['subjectId'])
export class MandateEntity {
  @PrimaryColumn({ name: 'holder_id', type: 'varchar', length: 32 })
  holderId: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  kind: string;

  /** The authentic source that established the relation (e.g. `national-register`). */
  @Column({ type: 'varchar', length: 200 })
  source: string;

  @Column({ name: 'valid_from', type: 'timestamptz', default: () => 'now()' })
  validFrom: Date;

  /** When the mandate ends (a parent's: the child's 18th birthday); null: no end. */
  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  /** `read`: see the subject's journeys; `act`: also complete their tasks and consent for them. */
  @Column({ type: 'varchar', length: 8, default: 'act' })
  access: 'read' | 'act';

  /** The life events the mandate covers; null: every one. */
  @Column({ name: 'life_events', type: 'text', array: true, nullable: true })
  lifeEvents: string[] | null;
}
