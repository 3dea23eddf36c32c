import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  InformationRequest,
  JourneyStatus,
  LegalClock,
  StepKind,
  StepOutcome,
  StepStatus,
  SubjectType,
  TimelineType,
  Translations,
} from '@levensloop/domain';

/** The read model of a journey; written by the gateway at start and by projection activities. */
@Entity({ name: 'journeys' })
export class JourneyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Client-supplied idempotency key, scoped by the caller that supplied it. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 300, unique: true })
  idempotencyKey: string;

  @Column({ name: 'life_event_key', type: 'varchar', length: 64 })
  lifeEventKey: string;

  @Column({ name: 'life_event_version', type: 'int' })
  lifeEventVersion: number;

  @Column({ type: 'jsonb' })
  title: Translations;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @Column({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ type: 'varchar', length: 24 })
  status: JourneyStatus | 'starting';

  @Column({ type: 'text', array: true })
  agencies: string[];

  @Column({ name: 'needs_attention', type: 'boolean', default: false })
  needsAttention: boolean;

  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true })
  nextDueAt: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'started_by', type: 'varchar', length: 200 })
  startedBy: string;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'projection_seq', type: 'int', default: 0 })
  projectionSeq: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity({ name: 'journey_steps' })
export class JourneyStepEntity {
  @PrimaryColumn({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @PrimaryColumn({ name: 'node_key', type: 'varchar', length: 64 })
  nodeKey: string;

  @Column({ type: 'varchar', length: 64 })
  agency: string;

  @Column({ type: 'varchar', length: 16 })
  kind: StepKind;

  @Column({ type: 'varchar', length: 24 })
  status: StepStatus;

  @Column({ type: 'jsonb' })
  title: Translations;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'jsonb', nullable: true })
  outcome: StepOutcome | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'boolean', default: false })
  warned: boolean;

  @Column({ type: 'boolean', default: false })
  escalated: boolean;

  /** The step's legal clock: suspended since, suspended in all, its one extension (issue 15). */
  @Column({ name: 'legal_clock', type: 'jsonb', nullable: true })
  legalClock: LegalClock | null;

  /** A caseworker's request for information to the citizen. */
  @Column({ type: 'jsonb', nullable: true })
  information: InformationRequest | null;

  @Column({ name: 'projection_seq', type: 'int', default: 0 })
  projectionSeq: number;
}

@Entity({ name: 'journey_events' })
export class JourneyEventEntity {
  @PrimaryColumn({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 40 })
  type: TimelineType;

  @Column({ name: 'node_key', type: 'varchar', length: 64, nullable: true })
  nodeKey: string | null;

  @Column({ type: 'jsonb', nullable: true })
  detail: Record<string, unknown> | null;
}

export type TaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

/** A piece of work for a caseworker (of an agency) or for the citizen (the journey's subject). */
@Entity({ name: 'tasks' })
@Index(['journeyId', 'nodeKey', 'purpose'], { unique: true })
export class TaskEntity {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  id: string;

  @Column({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @Column({ name: 'node_key', type: 'varchar', length: 64 })
  nodeKey: string;

  @Column({ type: 'varchar', length: 64 })
  agency: string;

  @Column({ type: 'varchar', length: 16 })
  assignee: 'caseworker' | 'citizen';

  /** task: the step's own work; consent / data: the citizen is asked for a consent or for missing data first. */
  @Column({ type: 'varchar', length: 16, default: 'task' })
  purpose: 'task' | 'consent' | 'data' | 'information';

  /** For consent and data tasks: the fields concerned (`source/field`). */
  @Column({ type: 'jsonb', nullable: true })
  fields: string[] | null;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @Column({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ type: 'varchar', length: 16 })
  status: TaskStatus;

  @Column({ type: 'jsonb' })
  title: Translations;

  @Column({ name: 'claimed_by', type: 'varchar', length: 200, nullable: true })
  claimedBy: string | null;

  /** The team queue the task is in (null: every caseworker of the agency). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  team: string | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'completed_by', type: 'varchar', length: 200, nullable: true })
  completedBy: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: 'approve' | 'reject' | null;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;
}
