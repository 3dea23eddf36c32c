import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * The notification tables (migrations 1764100000000 and later). The repositories in
 * ../repositories read and write them in SQL; these entities name their columns and types (see
 * docs/tables.md for who writes which).
 */

/** The retry bookkeeping of a row the dispatcher sends (a delivery, a dossier-status push). */
abstract class RetriedSend {
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}

/** A message about a journey, written by the read-model projection (and the scheduler) for the dispatcher to fan out. */
@Entity({ name: 'notifications' })
@Index('notifications_journey_idx', ['journeyId', 'createdAt'])
export class NotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'dedup_key', type: 'varchar', length: 300, unique: true })
  dedupKey: string;

  @Column({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @Column({ name: 'transaction_id', type: 'varchar', length: 64 })
  transactionId: string;

  @Column({ type: 'varchar', length: 64 })
  category: string;

  @Column({ name: 'node_key', type: 'varchar', length: 64, nullable: true })
  nodeKey: string | null;

  @Column({ name: 'event_seq', type: 'int', nullable: true })
  eventSeq: number | null;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ name: 'action_needed', type: 'boolean', default: false })
  actionNeeded: boolean;

  /** The agency of the step that caused it (null: about the journey as a whole). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  agency: string | null;

  /** The W3C traceparent of the projection that wrote it: the dispatcher's send continues that trace. */
  @Column({ name: 'trace_context', type: 'varchar', length: 64, nullable: true })
  traceContext: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'fanned_out_at', type: 'timestamptz', nullable: true })
  fannedOutAt: Date | null;
}

/** One message to one recipient on one channel, with its status, attempts and the text it went out with. */
@Entity({ name: 'notification_deliveries' })
@Unique(['notificationId', 'recipientId', 'channel'])
export class NotificationDeliveryEntity extends RetriedSend {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId: string;

  @Column({ name: 'recipient_type', type: 'varchar', length: 16 })
  recipientType: string;

  @Column({ name: 'recipient_id', type: 'varchar', length: 32 })
  recipientId: string;

  /** `subject` or `mandate` (a copy to a mandate holder). */
  @Column({ type: 'varchar', length: 16 })
  relation: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 2 })
  language: string;

  @Column({ type: 'varchar', length: 24, default: 'queued' })
  status: string;

  @Column({ name: 'provider_ref', type: 'varchar', length: 200, nullable: true })
  providerRef: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'text', nullable: true })
  sms: string | null;

  @Column({ name: 'template_version', type: 'int', nullable: true })
  templateVersion: number | null;

  @Column({ name: 'rendered_at', type: 'timestamptz', nullable: true })
  renderedAt: Date | null;
}

/** A registered template version per category and language, for one agency or global (agency null). */
@Entity({ name: 'notification_templates' })
export class NotificationTemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  category: string;

  @PrimaryColumn({ type: 'varchar', length: 2 })
  language: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  agency: string | null;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  sms: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy: string;
}

/** What the register holds on a person (`prefilled`, read once), next to their own choices. */
export interface PrefilledContact {
  found?: boolean;
  name?: string;
  language?: string;
  email?: string;
  phone?: string;
  address?: Record<string, unknown>;
}

/** A person's (or enterprise's) own choices: language, channels and addresses (the gateway's). */
@Entity({ name: 'contact_preferences' })
export class ContactPreferencesEntity {
  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: string;

  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ type: 'varchar', length: 2, nullable: true })
  language: string | null;

  @Column({ type: 'text', array: true, nullable: true })
  channels: string[] | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @Column({ name: 'postal_address', type: 'jsonb', nullable: true })
  postalAddress: Record<string, unknown> | null;

  @Column({ name: 'mandate_copies', type: 'boolean', default: true })
  mandateCopies: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 200, nullable: true })
  updatedBy: string | null;
}

/** A change of a journey's dossier status for the e-counter (only the newest pending one is sent). */
@Entity({ name: 'dossier_status_outbox' })
export class DossierStatusOutboxEntity extends RetriedSend {
  @PrimaryColumn({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  /** pending, delivered, superseded or failed. */
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;

  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** Claimed by a dispatcher until then (its push in flight): no other change of the journey is taken meanwhile. */
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;
}

/** A paper letter in the print queue: one per letter delivery. */
@Entity({ name: 'letters' })
export class LetterEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid', unique: true })
  deliveryId: string;

  @Column({ name: 'recipient_id', type: 'varchar', length: 32 })
  recipientId: string;

  @Column({ name: 'postal_address', type: 'jsonb', nullable: true })
  postalAddress: Record<string, unknown> | null;

  @Column({ type: 'text' })
  link: string;

  @Column({ type: 'bytea' })
  pdf: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

}

/** The print service's receipt of a letter (the gateway's): the first one counts. */
@Entity({ name: 'letter_prints' })
export class LetterPrintEntity {
  @PrimaryColumn({ name: 'letter_id', type: 'uuid' })
  letterId: string;

  @Column({ name: 'printed_at', type: 'timestamptz', default: () => 'now()' })
  printedAt: Date;
}

/** A recipient marked their copy of a message read (the gateway's): the first time counts. */
@Entity({ name: 'delivery_reads' })
export class DeliveryReadEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @Column({ name: 'read_at', type: 'timestamptz', default: () => 'now()' })
  readAt: Date;
}

/** What the national register holds on a person, read once (the dispatcher's); a person's own choices win over it. */
@Entity({ name: 'contact_prefills' })
export class ContactPrefillEntity {
  @PrimaryColumn({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: string;

  @Column({ type: 'jsonb' })
  prefilled: PrefilledContact;

  @Column({ name: 'prefilled_at', type: 'timestamptz', default: () => 'now()' })
  prefilledAt: Date;
}

/**
 * The SMS gateway's delivery reports as the gateway verified them (one per report id), an inbox
 * the dispatcher applies to the delivery (`applied_at`).
 */
@Entity({ name: 'sms_delivery_reports' })
export class SmsDeliveryReportEntity {
  @PrimaryColumn({ name: 'report_id', type: 'varchar', length: 200 })
  reportId: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  /** As reported: delivered or failed. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** The gateway's message id. */
  @Column({ name: 'message_id', type: 'varchar', length: 200, nullable: true })
  messageId: string | null;

  /** When the network says it happened. */
  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt: Date | null;
}

export const NOTIFICATION_ENTITIES = [
  NotificationEntity,
  NotificationDeliveryEntity,
  NotificationTemplateEntity,
  ContactPreferencesEntity,
  ContactPrefillEntity,
  DossierStatusOutboxEntity,
  LetterEntity,
  LetterPrintEntity,
  DeliveryReadEntity,
  SmsDeliveryReportEntity,
];
