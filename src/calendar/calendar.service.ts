import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { hashToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { type CalendarEntry, renderCalendar } from './ics';

interface EntryRow extends Omit<CalendarEntry, 'cancelled'> {
  cancelledAt: Date | null;
  volunteerId?: string;
}

/** Sessions with course title and topic titles; the FROM/WHERE part is the caller's. */
const ENTRY_COLUMNS = `
  s.id AS "sessionId", c.title AS "courseTitle", s.starts_at AS "startsAt", s.ends_at AS "endsAt",
  s.location, s.sequence, s.cancelled_at AS "cancelledAt", s.updated_at AS "changedAt",
  coalesce(array_agg(tp.title_da ORDER BY tp.position) FILTER (WHERE tp.code IS NOT NULL), '{}') AS topics`;

const TOPIC_JOINS = `
  LEFT JOIN course_session_topic t ON t.session_id = s.id
  LEFT JOIN topic tp ON tp.code = t.topic_code`;

@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The volunteer's feed: the sessions of the courses they hold a seat on (not the
   * waitlist). One query resolves the token and gathers every event.
   */
  async volunteerFeed(feedToken: string): Promise<string> {
    const rows = await this.db.query<(EntryRow & { volunteerId: string })[]>(
      `SELECT f.volunteer_id AS "volunteerId", ${ENTRY_COLUMNS}
         FROM calendar_feed f
         JOIN volunteer v ON v.id = f.volunteer_id AND v.calendar_version = f.version
         LEFT JOIN booking k ON k.volunteer_id = v.id AND k.status = 'booked'
         LEFT JOIN course c ON c.id = k.course_id AND c.cancelled_at IS NULL
         LEFT JOIN course_session s ON s.course_id = c.id
         ${TOPIC_JOINS}
        WHERE f.token_hash = $1
        GROUP BY f.volunteer_id, s.id, c.id
        ORDER BY s.starts_at`,
      [hashToken(feedToken)],
    );
    if (rows.length === 0) {
      throw new NotFoundError('Calendar');
    }
    const entries = rows.filter((r) => r.sessionId !== null);
    return renderCalendar('Mit forberedende kursus', entries.map(toEntry), {
      url: this.personalPageHint(),
    });
  }

  async course(courseId: string): Promise<string> {
    const rows = await this.db.query<(EntryRow & { found: boolean })[]>(
      `SELECT ${ENTRY_COLUMNS}
         FROM course c
         JOIN course_session s ON s.course_id = c.id
         ${TOPIC_JOINS}
        WHERE c.id = $1
        GROUP BY s.id, c.id
        ORDER BY s.starts_at`,
      [courseId],
    );
    if (rows.length === 0) {
      throw new NotFoundError('Course');
    }
    return renderCalendar(rows[0].courseTitle, rows.map(toEntry), { url: this.personalPageHint() });
  }

  /** One session; cancelled, it carries METHOD:CANCEL so calendars remove it. */
  async session(sessionId: string): Promise<string> {
    const rows = await this.db.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS}
         FROM course_session s
         JOIN course c ON c.id = s.course_id
         ${TOPIC_JOINS}
        WHERE s.id = $1
        GROUP BY s.id, c.id`,
      [sessionId],
    );
    if (rows.length === 0) {
      throw new NotFoundError('Session');
    }
    const entry = toEntry(rows[0]);
    return renderCalendar(entry.courseTitle, [entry], {
      url: this.personalPageHint(),
      method: entry.cancelled ? 'cancel' : 'publish',
    });
  }

  /**
   * Calendars are shared more freely than email, so events never carry the secret
   * personal link; they point to the page that explains how to open it.
   */
  private personalPageHint(): string {
    return `${this.config.publicUrl}/v`;
  }
}

function toEntry({ cancelledAt, ...row }: EntryRow): CalendarEntry {
  return {
    sessionId: row.sessionId,
    courseTitle: row.courseTitle,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    location: row.location,
    topics: row.topics,
    sequence: row.sequence,
    changedAt: row.changedAt,
    cancelled: cancelledAt !== null,
  };
}
