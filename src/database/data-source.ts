import { join } from 'node:path';
import { type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { Attestation } from '../attestations/attestation.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuthToken } from '../auth/auth-token.entity';
import { PasswordReset } from '../auth/password-reset.entity';
import { StaffUser } from '../auth/staff-user.entity';
import { Branch } from '../branches/branch.entity';
import type { AppConfig } from '../config/env';
import { Curriculum } from '../courses/curriculum.entity';
import { Topic } from '../courses/topic.entity';
import { HomeVisit } from '../home-visits/home-visit.entity';
import { Attendance } from '../courses/attendance.entity';
import { PriorCourseCompletion } from '../courses/prior-course-completion.entity';
import { Booking } from '../courses/booking.entity';
import { Course } from '../courses/course.entity';
import { CourseSession, CourseSessionTopic } from '../courses/course-session.entity';
import { CalendarFeed } from '../portal/calendar-feed.entity';
import { OutboxMessage } from '../notifications/outbox-message.entity';
import { PortalToken } from '../portal/portal-token.entity';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteerNote } from '../volunteers/volunteer-note.entity';
import { createEmbeddedDriver } from './embedded-driver';
import { openDataSource } from './migrate';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const entities = [
  Branch,
  StaffUser,
  AuthToken,
  Topic,
  Curriculum,
  Volunteer,
  PortalToken,
  HomeVisit,
  Attestation,
  AuditEvent,
  Course,
  CourseSession,
  CourseSessionTopic,
  Booking,
  Attendance,
  PriorCourseCompletion,
  CalendarFeed,
  OutboxMessage,
  PasswordReset,
  VolunteerNote,
];

/** Where the embedded database keeps its files. */
export const embeddedDataDir = (dataDir: string) => join(dataDir, 'pgdata');

/**
 * The one description of the database, for the app and the tests: a PostgreSQL server
 * when DATABASE_URL is set, else the embedded PostgreSQL (PGlite) in DATA_DIR. The same
 * migrations run on both, at start-up, by `openDataSource` (under a lock, so instances
 * may start together); the schema never comes from `synchronize`.
 */
export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'> & Partial<Pick<AppConfig, 'dbPoolMax'>>,
  embedded: { inMemory?: boolean } = {},
): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // UUIDs come from gen_random_uuid(), built into PostgreSQL 13+; no extension needed.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
  };
  if (config.databaseUrl) {
    // poolSize is pg's `max`: DB_POOL_MAX, sized so that all instances together stay
    // under the server's max_connections (README, Configuration).
    //
    // JIT off: the dashboard's and the year figures' plans over a national organisation
    // cost past jit_above_cost, and compiling them took 100-300 ms of queries that run in
    // tens (npm run bench:national); no query of Klar's is long enough to win it back.
    return {
      ...common,
      url: config.databaseUrl,
      poolSize: config.dbPoolMax ?? 10,
      extra: { options: '-c jit=off' },
    };
  }
  return {
    ...common,
    driver: createEmbeddedDriver(embedded.inMemory ? undefined : embeddedDataDir(config.dataDir)),
  };
}

/** The database connected and migrated, for scripts and tools outside the app. */
export function openDatabase(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>) {
  return openDataSource(dataSourceOptions(config));
}
