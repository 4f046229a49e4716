import type { DataSource, EntityManager } from 'typeorm';
import { StaffUser, type StaffLanguage } from './staff-user.entity';

/**
 * The staff-user reads that need the password hash, which the entity leaves out of every
 * other query (`select: false`), so it is fetched only where a password is checked.
 */
export function findWithPasswordHash(
  db: DataSource,
  by: { email: string } | { id: string },
): Promise<StaffUser | null> {
  const query = db.getRepository(StaffUser).createQueryBuilder('u').addSelect('u.passwordHash');
  return (
    'email' in by
      ? query.where('lower(u.email) = lower(:email)', { email: by.email })
      : query.where('u.id = :id', { id: by.id })
  ).getOne();
}

export interface BranchCoordinator {
  id: string;
  name: string;
  email: string;
  /** The language of the mail Klar sends them. */
  language: StaffLanguage;
}

/**
 * The active coordinators of a branch, oldest account first: who is told of its
 * applications and volunteers, and whom a volunteer sees as their contact. A deactivated
 * account is left out: it may no longer see the branch's people, so it is not mailed them.
 */
export function coordinatorsOf(
  db: DataSource | EntityManager,
  branchId: string,
): Promise<BranchCoordinator[]> {
  return db.query<BranchCoordinator[]>(
    `SELECT id, name, email, language FROM staff_user
      WHERE role = 'coordinator' AND branch_id = $1 AND active
      ORDER BY created_at, id`,
    [branchId],
  );
}
