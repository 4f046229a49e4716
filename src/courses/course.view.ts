import { toIsoWithOffset } from '../common/dates';
import type { CourseWarning } from './course-rules';
import { sessionHours } from './course-rules';
import type { GridPersonRow, GridRecordRow } from './attendance.repository';
import type { CourseSummaryRow, SessionRow } from './courses.repository';

export const toSessionView = (s: SessionRow) => ({
  id: s.id,
  startsAt: toIsoWithOffset(s.startsAt),
  endsAt: toIsoWithOffset(s.endsAt),
  location: s.location,
  topics: s.topics,
  hours: sessionHours(s.startsAt, s.endsAt),
  cancelled: s.cancelledAt !== null,
  trainerName: s.trainerName,
  trainerUserId: s.trainerUserId,
});

export function toCourseView(
  course: CourseSummaryRow,
  sessions: SessionRow[],
  warnings?: CourseWarning[],
) {
  return {
    id: course.id,
    branchCode: course.branchCode,
    title: course.title,
    capacity: course.capacity,
    location: course.location,
    seatsLeft: Math.max(0, course.capacity - course.booked),
    waitlisted: course.waitlisted,
    cancelled: course.cancelledAt !== null,
    sessions: sessions.filter((s) => s.courseId === course.id).map(toSessionView),
    ...(warnings ? { warnings } : {}),
  };
}

export /** A course's sessions on a page, each with who teaches it as a name (not in the JSON). */
function withTrainers<T extends { sessions: { id: string }[] }>(view: T, rows: SessionRow[]) {
  return {
    ...view,
    sessions: view.sessions.map((s) => ({
      ...s,
      trainer: rows.find((r) => r.id === s.id)?.trainer ?? null,
    })),
  };
}

/** The grid of `GET /api/v1/courses/{id}/attendance`: a cell per person and live session. */
export function toAttendanceGridView(grid: {
  sessions: SessionRow[];
  people: GridPersonRow[];
  records: GridRecordRow[];
}) {
  return {
    sessions: grid.sessions.map((s) => ({ id: s.id, startsAt: toIsoWithOffset(s.startsAt) })),
    rows: grid.people.map((p) => ({
      volunteerId: p.volunteerId,
      firstName: p.firstName,
      lastName: p.lastName,
      present: Object.fromEntries(
        grid.sessions.map((s) => [s.id, presentAt(grid.records, s.id, p.volunteerId)]),
      ),
    })),
  };
}

/** true or false as recorded, null where nothing is recorded. */
export function presentAt(
  records: GridRecordRow[],
  sessionId: string,
  volunteerId: string,
): boolean | null {
  return (
    records.find((r) => r.sessionId === sessionId && r.volunteerId === volunteerId)?.present ?? null
  );
}
