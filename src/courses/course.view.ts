import { toIsoWithOffset } from '../common/dates';
import type { CourseWarning } from './course-rules';
import { sessionHours } from './course-rules';
import type { CourseSummaryRow, SessionRow } from './courses.repository';

export const toSessionView = (s: SessionRow) => ({
  id: s.id,
  startsAt: toIsoWithOffset(s.startsAt),
  endsAt: toIsoWithOffset(s.endsAt),
  location: s.location,
  topics: s.topics,
  hours: sessionHours(s.startsAt, s.endsAt),
  cancelled: s.cancelledAt !== null,
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
