import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Stage } from '../readiness/readiness';

export const VOLUNTEER_STATUSES = ['active', 'declined', 'withdrawn'] as const;
/** Whether the application is still in progress; `stage` is derived from the records. */
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];
export type Locale = 'da' | 'en';

@Entity()
export class Volunteer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  branchId: string;

  @Column('text')
  firstName: string;

  @Column('text')
  lastName: string;

  @Column('text')
  email: string;

  @Column('text')
  phone: string;

  @Column('text')
  postcode: string;

  @Column('text')
  motivation: string;

  @Column('text', { nullable: true })
  experience: string | null;

  @Column('text', { array: true })
  availability: string[];

  @Column('text', { array: true })
  languages: string[];

  @Column('text')
  locale: Locale;

  /** Empty for a person imported from a branch's spreadsheet until they consent. */
  @Column('timestamptz', { nullable: true })
  consentAt: Date | null;

  /** The version of the consent text agreed to (src/privacy/consent.ts, table consent_text). */
  @Column('text', { nullable: true })
  consentTextVersion: string | null;

  /** Where the consent was given: the application form, or the personal page after an import. */
  @Column('text', { default: 'application' })
  consentSource: 'application' | 'import';

  @Column('text')
  status: VolunteerStatus;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  /** Why it was closed: one of the page's short list, or free text from the API. */
  @Column('text', { nullable: true })
  closedReason: string | null;

  @Column('text', { nullable: true })
  closedNote: string | null;

  /** The staff user who closed it; null when the volunteer withdrew themselves. */
  @Column('uuid', { nullable: true })
  closedBy: string | null;

  /** Derived by readiness and stored in the same transaction, so lists can filter on it. */
  @Column('text')
  stage: Stage;

  @Column('timestamptz', { nullable: true })
  matchableSince: Date | null;

  /**
   * While matchable, the last day the certificate holds (`YYYY-MM-DD`): lists read the
   * stage through volunteer_stage_today(), which ends the mark after it without a job.
   */
  @Column('date', { nullable: true })
  matchableUntil: string | null;

  /** Renewing the calendar link raises this, which retires every older feed token. */
  @Column('integer', { default: 0 })
  calendarVersion: number;

  /**
   * When the person was erased: the row is then a tombstone holding only the anonymous
   * facts the year's figures read (branch, dates, stage reached); every read skips it.
   */
  @Column('timestamptz', { nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
