import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors';
import { hashToken } from '../common/tokens';
import { preparedQuery } from '../database/prepared-query';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { Locale } from '../volunteers/volunteer.entity';
import { type CalendarEntry, renderCalendar, sessionDescription } from './ics';

/**
 * The sessions picked by `where` (with `$1` its parameter) as one JSON text, ordered by
 * start: each with its course title and topic titles. Handing the feed back as text
 * lets an unchanged feed skip both parsing and rendering.
 */
const entriesJson = (from: string, where: string, topicTitle = 'tp.title_da') => `
  SELECT coalesce(json_agg(e ORDER BY e."startsAt", e."uid"), '[]')::text
    FROM (SELECT s.id AS "uid", c.title, s.starts_at AS "startsAt",
                 s.ends_at AS "endsAt", s.location, s.sequence, s.cancelled_at IS NOT NULL AS cancelled,
                 s.updated_at AS "changedAt",
                 coalesce(array_agg(${topicTitle} ORDER BY tp.position) FILTER (WHERE tp.code IS NOT NULL), '{}') AS topics
            FROM ${from}
            LEFT JOIN course_session_topic t ON t.session_id = s.id
            LEFT JOIN topic tp ON tp.code = t.topic_code
           WHERE ${where}
           GROUP BY s.id, c.id) e`;

type RawEntry = Omit<CalendarEntry, 'startsAt' | 'endsAt' | 'changedAt' | 'description'> & {
  startsAt: string;
  endsAt: string;
  changedAt: string;
  topics: string[];
};

/** Entries from the JSON text of `entriesJson`. */
function parseEntries(json: string, locale: Locale = 'da'): CalendarEntry[] {
  return (JSON.parse(json) as RawEntry[]).map(({ topics, ...e }) => ({
    ...e,
    description: sessionDescription(topics, locale),
    startsAt: new Date(e.startsAt),
    endsAt: new Date(e.endsAt),
    changedAt: new Date(e.changedAt),
  }));
}

/**
 * Raise when the feed's rendering changes (ics.ts, the names, the descriptions), so that
 * calendars holding an ETag of the old rendering get the new file.
 */
const FEED_RENDERING = 1;

/**
 * A volunteer's feed and its ETag: a digest the one query works out from the volunteer's
 * language and the events' JSON, everything the file is made of. When it matches the
 * request's If-None-Match the events are not even sent back, let alone rendered.
 */
export type VolunteerFeed =
  { etag: string; notModified: true } | { etag: string; notModified: false; ics: string };

@Injectable()
export class CalendarService {
  /**
   * Rendering is the expensive part of a feed (ical-generator spends ~0.3 ms an event),
   * and calendar clients poll feeds that rarely change: the file is kept by a digest of
   * everything that goes into it (for the volunteer's feed the one its query works out),
   * so an unchanged feed costs its one query.
   */
  private readonly rendered = new LRUCache<string, string>({ max: 5000 });

  /**
   * What besides the data goes into a feed: the renderer (FEED_RENDERING, raised when its
   * output changes) and the public URL the events link to. It leads every feed ETag, so a
   * deploy that changes either answers old tags in full.
   */
  private readonly renderVersion: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.renderVersion = createHash('sha256')
      .update(`${FEED_RENDERING}\n${this.personalPageHint()}`)
      .digest('hex')
      .slice(0, 8);
  }

  /**
   * The volunteer's feed: the sessions of the courses they hold a seat on (not the
   * waitlist). One query resolves the token and gathers every event.
   */
  async volunteerFeed(feedToken: string, ifNoneMatch?: string): Promise<VolunteerFeed> {
    const known = this.knownDigest(ifNoneMatch);
    // OFFSET 0 keeps PostgreSQL from pulling each inner select up into the one around it,
    // which would gather the events, and hash them, once for each place that names them.
    const [row] = await preparedQuery<{ locale: Locale; digest: string; entries: string | null }>(
      this.db,
      'calendar-volunteer-feed-digest',
      `SELECT x.locale, x.digest, CASE WHEN x.digest = $2::text THEN NULL ELSE x.entries END AS entries
         FROM (SELECT f.locale, f.entries, md5(f.locale || E'\\n' || f.entries) AS digest
                 FROM (SELECT v.locale, (${entriesJson(
                   `booking k
                    JOIN course c ON c.id = k.course_id AND c.cancelled_at IS NULL
                    JOIN course_session s ON s.course_id = c.id`,
                   `k.volunteer_id = f.volunteer_id AND k.status = 'booked'`,
                   `CASE WHEN v.locale = 'en' THEN tp.title_en ELSE tp.title_da END`,
                 )}) AS entries
                         FROM calendar_feed f
                         JOIN volunteer v ON v.id = f.volunteer_id AND v.calendar_version = f.version
                        WHERE f.token_hash = $1
                       OFFSET 0) f
                OFFSET 0) x`,
      [hashToken(feedToken), known],
    );
    if (!row) {
      throw new NotFoundError('Calendar');
    }
    const etag = `"${this.renderVersion}-${row.digest}"`;
    if (row.entries === null) {
      return { etag, notModified: true };
    }
    const name = row.locale === 'en' ? 'My preparatory course' : 'Mit forberedende kursus';
    return {
      etag,
      notModified: false,
      ics: this.render(name, row.entries, 'publish', row.locale, `feed ${row.digest}`),
    };
  }

  /**
   * The content digest an If-None-Match names, when one of its tags is a feed ETag of
   * this renderer and this public URL (anything else can only be answered in full).
   */
  private knownDigest(ifNoneMatch: string | undefined): string | null {
    if (!ifNoneMatch) {
      return null;
    }
    const prefix = `"${this.renderVersion}-`;
    for (const raw of ifNoneMatch.split(',')) {
      const tag = raw.trim().replace(/^W\//, '');
      if (tag.startsWith(prefix) && /^[0-9a-f]{32}"$/.test(tag.slice(prefix.length))) {
        return tag.slice(prefix.length, -1);
      }
    }
    return null;
  }

  async course(courseId: string): Promise<string> {
    const [row] = await this.db.query<{ title: string; entries: string }[]>(
      `SELECT c.title, (${entriesJson('course_session s JOIN course c ON c.id = s.course_id', 's.course_id = $1')}) AS entries
         FROM course c WHERE c.id = $1`,
      [courseId],
    );
    if (!row) {
      throw new NotFoundError('Course');
    }
    return this.render(row.title, row.entries);
  }

  /** One session; cancelled, it carries METHOD:CANCEL so calendars remove it. */
  async session(sessionId: string): Promise<string> {
    const [row] = await this.db.query<{ title: string; cancelled: boolean; entries: string }[]>(
      `SELECT c.title, s.cancelled_at IS NOT NULL AS cancelled,
              (${entriesJson('course_session s JOIN course c ON c.id = s.course_id', 's.id = $1')}) AS entries
         FROM course_session s JOIN course c ON c.id = s.course_id
        WHERE s.id = $1`,
      [sessionId],
    );
    if (!row) {
      throw new NotFoundError('Session');
    }
    return this.render(row.title, row.entries, row.cancelled ? 'cancel' : 'publish');
  }

  /** A course's sessions (or one session) and their .ics, inside a transaction, for email attachments. */
  async attachmentFor(em: EntityManager, of: { courseId: string } | { sessionId: string }) {
    const byCourse = 'courseId' in of;
    const [row] = await em.query<{ entries: string }[]>(
      `SELECT (${entriesJson(
        'course_session s JOIN course c ON c.id = s.course_id',
        byCourse ? 's.course_id = $1' : 's.id = $1',
      )}) AS entries`,
      [byCourse ? of.courseId : of.sessionId],
    );
    const entries = parseEntries(row.entries);
    return {
      entries,
      ics: (method: 'publish' | 'cancel') =>
        renderCalendar(entries[0]?.title ?? 'Klar', entries, {
          url: this.personalPageHint(),
          method,
        }),
    };
  }

  private render(
    name: string,
    entriesJsonText: string,
    method: 'publish' | 'cancel' = 'publish',
    locale: Locale = 'da',
    digest?: string,
  ): string {
    const key =
      digest ??
      createHash('sha256')
        .update(`${method}\n${locale}\n${name}\n${entriesJsonText}`)
        .digest('base64');
    let ics = this.rendered.get(key);
    if (ics === undefined) {
      ics = renderCalendar(name, parseEntries(entriesJsonText, locale), {
        url: this.personalPageHint(),
        method,
      });
      this.rendered.set(key, ics);
    }
    return ics;
  }

  /**
   * Calendars are shared more freely than email, so events never carry the secret
   * personal link; they point to the page that explains how to open it.
   */
  private personalPageHint(): string {
    return `${this.config.publicUrl}/v`;
  }
}
