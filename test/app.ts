import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import type { DataSourceOptions } from 'typeorm';
import { AbstractLogger, DataSource, type LogLevel, type LogMessage } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { type AppConfig, loadConfig } from '../src/config/env';
import { dataSourceOptions, embeddedDataDir } from '../src/database/data-source';
import {
  createDatabaseFromTemplate,
  dropDatabase,
  EMBEDDED_TEMPLATE_ENV,
  serverUrl,
  TEMPLATE_ENV,
  urlForDatabase,
} from './database';
import { SmtpCatcher } from './smtp';

export const ADMIN_EMAIL = 'admin@test.klar';
export const ADMIN_PASSWORD = 'admin-password-123';

/** The header that tags one request, so that only its own statements are counted. */
const REQUEST_TAG_HEADER = 'x-klar-test-request';

/**
 * Every SQL statement the app sends inside a tagged request, with its tag. Background
 * work (the mail worker's poll, schedulers) runs outside any tagged request, so a count
 * taken through `probe()` is unaffected by whatever else the app does meanwhile. (Work a
 * tagged request starts and that outlives it keeps the tag: none does today.)
 */
export class QueryLog extends AbstractLogger {
  private readonly statements: { tag: string; sql: string }[] = [];
  private readonly tagsSeen = new Set<string>();
  private readonly requestTag = new AsyncLocalStorage<string | undefined>();

  /** Express middleware: runs the rest of the request inside its tag, if it has one. */
  readonly middleware = (
    req: { headers: Record<string, string | string[] | undefined> },
    _res: unknown,
    next: () => void,
  ) => {
    const tag = req.headers[REQUEST_TAG_HEADER];
    if (typeof tag === 'string') {
      this.tagsSeen.add(tag);
    }
    this.requestTag.run(typeof tag === 'string' ? tag : undefined, next);
  };

  /**
   * A fresh tag: send its `headers` with the request under test, then read the
   * statements that request (and nothing else) sent.
   */
  probe(): { headers: Record<string, string>; queries: () => string[] } {
    const tag = randomUUID();
    return {
      headers: { [REQUEST_TAG_HEADER]: tag },
      queries: () => {
        // A request sent without the headers would count as zero statements.
        if (!this.tagsSeen.has(tag)) {
          throw new Error("No request carried this probe's headers");
        }
        return this.statements.filter((s) => s.tag === tag).map((s) => s.sql);
      },
    };
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    const tag = this.requestTag.getStore();
    if (tag === undefined) {
      return; // nothing asks about untagged statements; keeping them would only grow
    }
    for (const entry of Array.isArray(message) ? message : [message]) {
      if (level === 'query' || entry.type === 'query') {
        this.statements.push({ tag, sql: String(entry.message) });
      }
    }
  }
}

export interface TestApp {
  app: NestExpressApplication;
  queryLog: QueryLog;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  config: AppConfig;
  db: DataSource;
  mail: SmtpCatcher;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** A database another test app made, to restart on it (embedded: its data folder). */
  database?: TestDatabase;
}

export interface TestDatabase {
  options: DataSourceOptions;
  dataDir: string;
  dispose(): Promise<void>;
}

/**
 * A clean database for one test file: a copy of the migrated template on the server
 * (TEST_DATABASE_URL), or a copy of the migrated embedded template in a temporary folder.
 */
export async function createTestDatabase(kind: { embedded?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'klar-test-'));
  const template = process.env[TEMPLATE_ENV];
  const base = serverUrl();
  if (base && template && !kind.embedded) {
    const name = await createDatabaseFromTemplate(template);
    return {
      options: dataSourceOptions({ databaseUrl: urlForDatabase(base, name), dataDir }),
      dataDir,
      dispose: async () => {
        await dropDatabase(name);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const embeddedTemplate = process.env[EMBEDDED_TEMPLATE_ENV];
  if (embeddedTemplate) {
    cpSync(embeddedDataDir(embeddedTemplate), embeddedDataDir(dataDir), { recursive: true });
  }
  return {
    options: dataSourceOptions({ dataDir }),
    dataDir,
    dispose: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  };
}

/** The whole app in process, on a real database and a real SMTP server. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const mail = new SmtpCatcher();
  const smtpUrl = await mail.start();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: database.dataDir,
    SMTP_URL: smtpUrl,
    PUBLIC_URL: 'http://klar.test',
    SEED_DEMO: 'false',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    OUTBOX_POLL_MS: '50',
    OUTBOX_RETRY_BASE_MS: '100',
    // Every test applies from one address, for dozens of people; the limit's own tests set theirs.
    APPLY_LIMIT_PER_CLIENT: '1000',
    ...options.env,
  });
  const queryLog = new QueryLog(['query']);
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.create(config, { ...database.options, logging: ['query'], logger: queryLog }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  app.use(queryLog.middleware);
  configureApp(app);
  try {
    await app.init();
  } catch (error) {
    // A start that fails (as a test may want) leaves no pool, worker or mail server behind.
    await app.close().catch(() => undefined);
    await mail.stop();
    if (!options.database) {
      await database.dispose();
    }
    throw error;
  }
  // The scheduled runs have done their start-up pass; from here the tests call them
  // when they mean to, so no run fires at a wall-clock boundary in the middle of a test.
  for (const job of app.get(SchedulerRegistry).getCronJobs().values()) {
    void job.stop();
  }
  return {
    app,
    queryLog,
    http: app.getHttpServer(),
    config,
    db: app.get(DataSource),
    mail,
    close: async () => {
      try {
        await app.close();
      } finally {
        await mail.stop();
        if (!options.database) {
          await database.dispose();
        }
      }
    },
  };
}
