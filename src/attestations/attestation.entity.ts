import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ATTESTATION_RESULTS = ['clean', 'has_entries'] as const;
export type AttestationResult = (typeof ATTESTATION_RESULTS)[number];

/** The facts of a child certificate (børneattest); never a scan of it. */
@Entity()
export class Attestation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  volunteerId: string;

  /** Dates are kept as `YYYY-MM-DD` strings: they are calendar days, not instants. */
  @Column('date', { nullable: true })
  requestedOn: string | null;

  @Column('date')
  receivedOn: string;

  @Column('text')
  result: AttestationResult;

  @Column('uuid')
  verifiedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
