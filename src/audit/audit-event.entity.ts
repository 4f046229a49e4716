import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditDetails = Record<string, string | number | boolean | null>;

/** Append-only (a trigger refuses UPDATE and DELETE). */
@Entity()
export class AuditEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('timestamptz', { default: () => 'now()' })
  occurredAt: Date;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text')
  action: string;

  @Column('uuid', { nullable: true })
  branchId: string | null;

  @Column('uuid', { nullable: true })
  volunteerId: string | null;

  @Column('jsonb')
  details: AuditDetails;
}
