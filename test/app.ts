import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { DataSourceOptions } from 'typeorm';
import { AbstractLogger, DataSource, type LogLevel, type LogMessage } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { type AppConfig, loadConfig } from '../src/config/env';
import { dataSourceOptions } from '../src/database/data-source';
import {
  createDatabaseFromTemplate,
  dropDatabase,
  serverUrl,
  TEMPLATE_ENV,
  urlForDatabase,
} from './database';
import { SmtpCatcher } from './smtp';

export const ADMIN_EMAIL = 'admin@test.klar';
export const ADMIN_PASSWORD = 'admin-password-123';

/** Every SQL statement the app sends, to check how many queries a request costs. */
export class QueryLog extends AbstractLogger {
  readonly queries: string[] = [];

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    for (const entry of Array.isArray(message) ? message : [message]) {
      if (level === 'query' || entry.type === 'query') {
        this.queries.push(String(entry.message));
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
 * (TEST_DATABASE_URL), or a fresh embedded database in a temporary folder.
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
  configureApp(app);
  await app.init();
  return {
    app,
    queryLog,
    http: app.getHttpServer(),
    config,
    db: app.get(DataSource),
    mail,
    close: async () => {
      await app.close();
      await mail.stop();
      if (!options.database) {
        await database.dispose();
      }
    },
  };
}
