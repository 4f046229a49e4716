import type { EntityManager } from 'typeorm';

/**
 * THE ORDER OF ROW LOCKS. Every transaction that locks rows takes them in this order,
 * and within one table in ascending id:
 *
 *   0. curriculum, rule_settings (a rule change: taken first, then it re-derives the
 *                        volunteers it can move, at level 5, and locks no course)
 *   1. course           (seats and waitlist: bookings change only under their course)
 *   2. course_session   (a session's changes and its attendance)
 *   3. booking          (never locked itself: it changes only with its course held)
 *   4. attendance       (never locked itself: it changes only under its session)
 *   5. volunteer        (stage, status, readiness)
 *   6. a volunteer's own rows (home_visit, attestation, portal_token), after the volunteer
 *
 * A transaction may skip a level but never goes back up: holding a volunteer, it locks
 * no course. Why this way round: cancelling a seat promotes someone else from the
 * waitlist and writes rows pointing at them (their new personal link, the audit row),
 * which takes a KEY SHARE lock on that other volunteer's row. With volunteers locked
 * before courses, ten staff cancellations on one course deadlocked (each held its own
 * volunteer and waited for the course, while the course holder waited for a volunteer
 * to promote). With the course first, whoever holds the course holds nothing anyone
 * ahead of it needs. What slips past the order (a deadlock PostgreSQL still detects, a
 * serialization failure) is retried by UnitOfWork.run.
 */

/**
 * Locks the courses a volunteer holds a seat or a waitlist place on, before the
 * volunteer, for changes that end all their bookings (a withdrawal, a declined visit).
 */
export async function lockCoursesBookedBy(em: EntityManager, volunteerId: string): Promise<void> {
  await em.query(
    `SELECT c.id FROM course c
      WHERE c.id IN (SELECT k.course_id FROM booking k
                      WHERE k.volunteer_id = $1 AND k.status <> 'cancelled')
      ORDER BY c.id
        FOR UPDATE OF c`,
    [volunteerId],
  );
}
