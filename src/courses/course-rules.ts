import type { FieldError } from '../common/errors';

/** Rules for a course's sessions, pure so they are tested without a database. */

export const MAX_SESSION_HOURS = 12;

export interface SessionPlan {
  startsAt: Date;
  endsAt: Date;
  topics: string[];
}

/** Hours derived from the times, to two decimals. */
export function sessionHours(startsAt: Date, endsAt: Date): number {
  return Math.round(((endsAt.getTime() - startsAt.getTime()) / 3600_000) * 100) / 100;
}

/** What makes a set of sessions impossible: a 400, naming the session and field. */
export function sessionProblems(
  sessions: SessionPlan[],
  knownTopics: Set<string>,
  path = 'sessions',
): FieldError[] {
  return [
    ...sessionTimeProblems(sessions, path),
    ...unknownTopicProblems(sessions, knownTopics, path),
  ];
}

/**
 * The problems of the sessions' times alone, which need no curriculum: the form checks
 * them with its other fields, so all are reported at once. `null` is a session whose
 * times could not be read (its own fields say so); it keeps its place in the numbering.
 */
export function sessionTimeProblems(
  sessions: (Omit<SessionPlan, 'topics'> | null)[],
  path = 'sessions',
): FieldError[] {
  const problems: FieldError[] = [];
  sessions.forEach((s, i) => {
    if (!s) {
      return;
    }
    const hours = sessionHours(s.startsAt, s.endsAt);
    if (hours <= 0) {
      problems.push({
        field: `${path}.${i}.endsAt`,
        code: 'endsBeforeStart',
        message:
          'Kursusgangen skal slutte, efter den er begyndt. / The session must end after it starts.',
      });
    } else if (hours > MAX_SESSION_HOURS) {
      problems.push({
        field: `${path}.${i}.endsAt`,
        code: 'sessionTooLong',
        message: `En kursusgang må højst vare ${MAX_SESSION_HOURS} timer. / A session may last at most ${MAX_SESSION_HOURS} hours.`,
      });
    }
  });
  const order = sessions
    .map((s, i) => (s ? { ...s, i } : null))
    .filter((s) => s !== null)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (let k = 1; k < order.length; k += 1) {
    if (order[k].startsAt < order[k - 1].endsAt) {
      problems.push({
        field: `${path}.${order[k].i}.startsAt`,
        code: 'overlaps',
        message: `Overlapper kursusgang ${order[k - 1].i + 1} af samme kursus. / Overlaps session ${order[k - 1].i + 1} of the same course.`,
      });
    }
  }
  return problems;
}

function unknownTopicProblems(
  sessions: SessionPlan[],
  knownTopics: Set<string>,
  path: string,
): FieldError[] {
  return sessions.flatMap((s, i) =>
    s.topics
      .filter((topic) => !knownTopics.has(topic))
      .map((topic) => ({
        field: `${path}.${i}.topics`,
        code: 'unknownTopic',
        message: `ukendt emne ${topic} / unknown topic ${topic}`,
      })),
  );
}

export const ALREADY_HELD_QUESTION =
  'Registrerer du et afholdt kursus? Alle kursusgange ligger i fortiden; sæt kryds for at gemme kurset alligevel. / Are you registering a course already held? Every session lies in the past; tick the box to save the course anyway.';

/**
 * Every session over before `now`: the course is being registered after the fact, which
 * the page asks to be confirmed (the API takes it as it comes).
 */
export function isAlreadyHeld(sessions: Omit<SessionPlan, 'topics'>[], now: Date): boolean {
  return sessions.length > 0 && sessions.every((s) => s.endsAt <= now);
}

export interface CourseWarning {
  code: 'missing_mandatory_topics' | 'too_few_hours';
  message: string;
}

/** A course may be saved without covering the curriculum, but the reply says so. */
export function courseWarnings(
  sessions: SessionPlan[],
  curriculum: { requiredHours: number; mandatoryTopics: string[] },
): CourseWarning[] {
  const warnings: CourseWarning[] = [];
  const covered = new Set(sessions.flatMap((s) => s.topics));
  const missing = curriculum.mandatoryTopics.filter((t) => !covered.has(t));
  if (missing.length > 0) {
    warnings.push({
      code: 'missing_mandatory_topics',
      message: `The sessions do not cover the mandatory topics ${missing.join(', ')}`,
    });
  }
  const hours = sessions.reduce((sum, s) => sum + sessionHours(s.startsAt, s.endsAt), 0);
  if (hours < curriculum.requiredHours) {
    warnings.push({
      code: 'too_few_hours',
      message: `The sessions add up to ${Math.round(hours * 100) / 100} hours of the required ${curriculum.requiredHours}`,
    });
  }
  return warnings;
}
