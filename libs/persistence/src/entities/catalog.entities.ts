import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type {
  Audience,
  LifeEventDefinition,
  ServiceStepDefinition,
  StepKind,
  Translations,
  VersionStatus,
} from '@levensloop/domain';

@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'jsonb' })
  names: Translations;

  /** The hosts (`host[:port]`) its automatic steps may call; kept by catalog admins. */
  @Column({ name: 'endpoint_hosts', type: 'text', array: true, default: () => "'{}'" })
  endpointHosts: string[];

  /** What it serves per agency role, e.g. { municipality: '44021' } (see libs/domain agency-roles.ts). */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  serves: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** What every versioned catalog entry has: draft → published → retired, with its moments. */
export abstract class VersionedEntity {
  @Column({ type: 'varchar', length: 16 })
  status: VersionStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}

@Entity({ name: 'service_steps' })
export class ServiceStepEntity extends VersionedEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  agency: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @PrimaryColumn({ type: 'int' })
  version: number;


  @Column({ type: 'varchar', length: 16 })
  kind: StepKind;

  @Column({ type: 'jsonb' })
  definition: ServiceStepDefinition;

}

@Entity({ name: 'life_events' })
export class LifeEventEntity extends VersionedEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @PrimaryColumn({ type: 'int' })
  version: number;


  @Column({ type: 'varchar', length: 16 })
  audience: Audience;

  @Column({ type: 'jsonb' })
  definition: LifeEventDefinition;

}
