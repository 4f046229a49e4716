import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const HOME_VISIT_OUTCOMES = ['approved', 'declined', 'follow_up'] as const;
export type HomeVisitOutcome = (typeof HOME_VISIT_OUTCOMES)[number];

@Entity()
export class HomeVisit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  volunteerId: string;

  @Column('timestamptz')
  scheduledAt: Date;

  @Column('text', { nullable: true })
  outcome: HomeVisitOutcome | null;

  @Column('text', { nullable: true })
  notes: string | null;

  /** When the visit took place; set with the outcome, never after it was recorded. */
  @Column('timestamptz', { nullable: true })
  heldAt: Date | null;

  @Column('timestamptz', { nullable: true })
  outcomeAt: Date | null;

  @Column('uuid', { nullable: true })
  outcomeBy: string | null;

  /** A cancelled visit no longer counts as planned; it stays for the history. */
  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @Column('uuid', { nullable: true })
  cancelledBy: string | null;

  /** Raised by every move or cancellation, for the calendar entry the volunteer holds. */
  @Column('integer', { default: 0 })
  sequence: number;

  @Column('uuid')
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
