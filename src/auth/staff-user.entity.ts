import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../common/auth/actor';

// Roles are what an Actor carries, so common/ defines them; auth re-exports them.
export { ROLES, type Role } from '../common/auth/actor';

export const STAFF_LANGUAGES = ['da', 'en'] as const;
export type StaffLanguage = (typeof STAFF_LANGUAGES)[number];

@Entity()
export class StaffUser {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text')
  role: Role;

  @Column('uuid', { nullable: true })
  branchId: string | null;

  @Column('text', { select: false })
  passwordHash: string;

  /** A deactivated user cannot sign in, and their tokens and sessions are gone. */
  @Column('boolean')
  active: boolean;

  /** The language of the emails Klar sends them. */
  @Column('text')
  language: StaffLanguage;

  /**
   * Every page session carries the epoch it signed in under; raising it ends them all,
   * including one that a request still in flight writes back after its row was deleted.
   */
  @Column('integer')
  sessionEpoch: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
