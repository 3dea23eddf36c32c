import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { DecisionOutcome, LegalBasis, SubjectType, Translations } from '@levensloop/domain';

/**
 * Once-only data: who read which fields of whom and why, what each journey step used, consents,
 * automatic decisions and the audit log. Tables from migration 1764000000000-once-only.
 */

/** Append-only: one row per access (granted or refused) to a subject's data. */
@Entity({ name: 'data_access_log' })
export class DataAccessLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** Set by writers that may retry (e.g. an activity): the same key is written once. */
  @Column({ name: 'access_key', type: 'varchar', length: 300, nullable: true, unique: true })
  accessKey: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @Column({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ name: 'journey_id', type: 'uuid', nullable: true })
  journeyId: string | null;

  @Column({ name: 'node_key', type: 'varchar', length: 64, nullable: true })
  nodeKey: string | null;

  /** The agency that read (or tried to). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  agency: string | null;

  @Column({ name: 'step_key', type: 'varchar', length: 64, nullable: true })
  stepKey: string | null;

  @Column({ type: 'varchar', length: 200 })
  actor: string;

  @Column({ name: 'actor_kind', type: 'varchar', length: 16 })
  actorKind: 'step' | 'caseworker' | 'agency';

  @Column({ type: 'varchar', length: 64 })
  source: string;

  /** Field paths in the source (without the source prefix). */
  @Column({ type: 'text', array: true })
  fields: string[];

  @Column({ type: 'jsonb' })
  purpose: Translations;

  @Column({ name: 'legal_basis', type: 'jsonb' })
  legalBasis: LegalBasis | { type: 'none'; reference: string };

  /**
   * `granted` / `refused` (by the engine's purpose limitation) for a read answered at once;
   * a register read is logged `requested` before the call and its outcome after it, as a second
   * row pointing at the first (`requestId`): `granted`, `refused-by-source` or `failed`.
   */
  @Column({ type: 'varchar', length: 20 })
  outcome: DataAccessOutcome;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'request_id', type: 'bigint', nullable: true })
  requestId: string | null;

  /** Set by the database on insert: the hash chain (see 1764700000000-append-only-logs). */
  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true, insert: false, update: false })
  prevHash: string | null;

  @Column({ type: 'char', length: 64, insert: false, update: false })
  hash: string;
}

/** `preview`: evidence a source delivered at the person's request, held for them until they accept it. */
export type DataAccessOutcome = 'requested' | 'granted' | 'refused' | 'refused-by-source' | 'failed' | 'preview';

/** A field a journey step used: pre-filled from a source, or asked from the citizen. */
@Entity({ name: 'journey_data_fields' })
export class JourneyDataFieldEntity {
  @PrimaryColumn({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @PrimaryColumn({ name: 'node_key', type: 'varchar', length: 64 })
  nodeKey: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  source: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  field: string;

  @Column({ type: 'varchar', length: 16 })
  origin: 'source' | 'citizen';

  @Column({ type: 'jsonb', nullable: true })
  value: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}

/** A subject's consent that an agency's step reads a field; withdrawn means no further reads. */
@Entity({ name: 'consents' })
export class ConsentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @Column({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ type: 'varchar', length: 64 })
  agency: string;

  @Column({ name: 'step_key', type: 'varchar', length: 64 })
  stepKey: string;

  @Column({ type: 'varchar', length: 64 })
  source: string;

  @Column({ type: 'varchar', length: 200 })
  field: string;

  @Column({ type: 'varchar', length: 16 })
  status: 'granted' | 'refused';

  @Column({ name: 'journey_id', type: 'uuid', nullable: true })
  journeyId: string | null;

  @Column({ name: 'node_key', type: 'varchar', length: 64, nullable: true })
  nodeKey: string | null;

  @Column({ name: 'given_by', type: 'varchar', length: 200 })
  givenBy: string;

  @Column({ name: 'given_at', type: 'timestamptz', default: () => 'now()' })
  givenAt: Date;
}

/** A consent withdrawn (the gateway's): it holds until the consent is asked and given again (`given_at` later). */
@Entity({ name: 'consent_withdrawals' })
export class ConsentWithdrawalEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'consent_id', type: 'uuid' })
  consentId: string;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', default: () => 'now()' })
  withdrawnAt: Date;

  @Column({ name: 'withdrawn_by', type: 'varchar', length: 200, nullable: true })
  withdrawnBy: string | null;
}

/** An automatic decision: inputs, rule and rule version, outcome and explanation; a referral's decision by a caseworker in `override_*`. */
@Entity({ name: 'decisions' })
export class DecisionEntity {
  @PrimaryColumn({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @PrimaryColumn({ name: 'node_key', type: 'varchar', length: 64 })
  nodeKey: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @Column({ name: 'subject_id', type: 'varchar', length: 32 })
  subjectId: string;

  @Column({ type: 'varchar', length: 64 })
  agency: string;

  @Column({ name: 'step_key', type: 'varchar', length: 64 })
  stepKey: string;

  @Column({ name: 'step_version', type: 'int' })
  stepVersion: number;

  @Column({ name: 'rule_id', type: 'varchar', length: 64 })
  ruleId: string;

  @Column({ name: 'rule_version', type: 'int' })
  ruleVersion: number;

  @Column({ type: 'jsonb' })
  inputs: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16 })
  outcome: DecisionOutcome;

  /** Index of the rule branch that held; -1 for `otherwise`. */
  @Column({ type: 'int' })
  branch: number;

  @Column({ type: 'jsonb' })
  explanation: Translations;

  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' })
  decidedAt: Date;

  @Column({ name: 'override_outcome', type: 'varchar', length: 16, nullable: true })
  overrideOutcome: 'grant' | 'deny' | null;

  @Column({ name: 'override_reason', type: 'text', nullable: true })
  overrideReason: string | null;

  @Column({ name: 'overridden_by', type: 'varchar', length: 200, nullable: true })
  overriddenBy: string | null;

  @Column({ name: 'overridden_at', type: 'timestamptz', nullable: true })
  overriddenAt: Date | null;
}

/** A caseworker's override of a final decision (the gateway's), with its reason. */
@Entity({ name: 'decision_overrides' })
export class DecisionOverrideEntity {
  @PrimaryColumn({ name: 'journey_id', type: 'uuid' })
  journeyId: string;

  @PrimaryColumn({ name: 'node_key', type: 'varchar', length: 64 })
  nodeKey: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: 'grant' | 'deny';

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'overridden_by', type: 'varchar', length: 200 })
  overriddenBy: string;

  @Column({ name: 'overridden_at', type: 'timestamptz', default: () => 'now()' })
  overriddenAt: Date;
}

/** Append-only record of who did what to which target; written in the transaction of the change. */
@Entity({ name: 'audit_log' })
export class AuditLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'varchar', length: 200 })
  actor: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Column({ name: 'target_id', type: 'varchar', length: 200 })
  targetId: string;

  @Column({ type: 'jsonb', nullable: true })
  detail: Record<string, unknown> | null;

  /** Set by the database on insert: the hash chain (see 1764700000000-append-only-logs). */
  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true, insert: false, update: false })
  prevHash: string | null;

  @Column({ type: 'char', length: 64, insert: false, update: false })
  hash: string;
}
