import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { ENV_VARIABLES, loadConfig } from '../src/config/env';
import { dataSourceOptions } from '../src/database/data-source';
import { HEALTH_CHECK_TIMEOUT_MS, HEALTH_CHECK_TTL_MS } from '../src/health/database-health';
import { createTestApp, createTestDatabase, type TestApp } from './app';
import { serverUrl } from './database';
import { Factory } from './factories';

describe('the platform', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should report health with the database', async () => {
    await request(t.http).get('/health').expect(200, { status: 'ok', database: 'up' });
  });

  it('should publish the API as OpenAPI', async () => {
    const res = await request(t.http).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/applications',
        '/api/v1/volunteers',
        '/api/v1/volunteers/{id}',
        '/api/v1/home-visits/{id}/outcome',
        '/api/v1/volunteers/{id}/attestations',
        '/api/v1/auth/token',
      ]),
    );
    await request(t.http).get('/api/docs').expect(200);
  });

  it('should document the schemas, the format query and the files of the exports, figures, requirements and consent', async () => {
    const doc = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string; schema?: { enum?: string[] } }[];
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const propertiesOf = (schema: string) =>
      Object.keys(doc.components.schemas[schema]?.properties ?? {}).sort();
    expect(propertiesOf('CreateRequirementDto')).toEqual(
      ['description', 'key', 'materialId', 'nameDa', 'nameEn', 'renewMonths'].sort(),
    );
    expect(propertiesOf('RecordRequirementDto')).toEqual(['metOn']);
    expect(propertiesOf('GiveConsentDto')).toEqual(['textVersion']);
    expect(propertiesOf('YearFiguresDto')).toEqual(
      expect.arrayContaining(['applications', 'becameMatchable', 'withdrawnByStage']),
    );

    const queryOf = (path: string) =>
      (doc.paths[path].get.parameters ?? []).filter((p) => p.in === 'query');
    const files = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
    for (const path of [
      '/api/v1/volunteers',
      '/api/v1/courses/{id}/participants',
      '/api/v1/courses/{id}/attendance',
      '/api/v1/reports/year',
    ]) {
      const format = queryOf(path).find((p) => p.name === 'format');
      expect({ path, format: format?.schema?.enum }).toEqual({ path, format: ['csv', 'xlsx'] });
      expect({
        path,
        types: Object.keys(doc.paths[path].get.responses['200']?.content ?? {}),
      }).toEqual({ path, types: expect.arrayContaining(['application/json', ...files]) });
    }
    expect(
      queryOf('/api/v1/reports/year')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['branch', 'format', 'year']);
    expect(queryOf('/api/v1/volunteers').map((p) => p.name)).toEqual(
      expect.arrayContaining(['stage', 'q', 'postcode', 'limit', 'offset']),
    );
    const year = doc.paths['/api/v1/reports/year'].get.responses['200'].content!;
    expect(year['application/json']).toEqual({
      schema: { $ref: '#/components/schemas/YearReportDto' },
    });

    const requirements = doc.paths['/api/v1/requirements'].post.responses;
    expect(Object.keys(requirements)).toEqual(expect.arrayContaining(['201', '409']));
    const record = doc.paths['/api/v1/volunteers/{id}/requirements/{key}'];
    expect(Object.keys(record.post.responses)).toEqual(
      expect.arrayContaining(['201', '404', '409']),
    );
    expect(Object.keys(record.delete.responses)).toEqual(expect.arrayContaining(['204', '404']));
    // The routes that wait on consent say so.
    expect(Object.keys(doc.paths['/api/v1/me/bookings'].post.responses)).toContain('403');
  });

  it('should publish the curriculum with its mandatory topics', async () => {
    const res = await request(t.http).get('/api/v1/curriculum').expect(200);
    expect(res.body.requiredHours).toBe(20);
    expect(
      res.body.topics
        .filter((x: { mandatory: boolean }) => x.mandatory)
        .map((x: { code: string }) => x.code),
    ).toEqual(['frameworks', 'boundaries', 'uncrc', 'child_safety']);
  });

  it('should list branches publicly by code and name only', async () => {
    const code = await new Factory(t).branch();
    const res = await request(t.http).get('/api/v1/branches').expect(200);
    expect(res.body).toContainEqual({ code, name: `Home-Start ${code}` });
    expect(Object.keys(res.body[0]).sort()).toEqual(['code', 'name']);
  });

  it('should answer an unknown route with 404 in the API shape', async () => {
    const res = await request(t.http).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe(loadConfig.name, () => {
  it('should stop on a bad value and name the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ SMTP_URL: 'not a url' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ ATTESTATION_VALID_MONTHS: '0' })).toThrow(/ATTESTATION_VALID_MONTHS/);
    expect(() =>
      loadConfig({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.dk', BOOTSTRAP_ADMIN_PASSWORD: 'short' }),
    ).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
    expect(() => loadConfig({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.dk' })).toThrow(
      /BOOTSTRAP_ADMIN_PASSWORD/,
    );
  });

  it('should default to the embedded database with demo data on port 3000', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      dataDir: './data',
      publicUrl: 'http://localhost:3000',
      seedDemo: true,
      attestationValidMonths: 24,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/klar' }).seedDemo).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@db:5432/klar', SEED_DEMO: 'true' }).seedDemo,
    ).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  type Service = { image?: string; environment?: Record<string, string>; depends_on?: unknown };
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<string, Service>;
  };

  it('should run PostgreSQL 16, Mailpit and the app', () => {
    expect(compose.services.db.image).toMatch(/^postgres:16/);
    expect(compose.services.mail.image).toMatch(/mailpit/);
    expect(compose.services.app).toBeDefined();
  });

  it('should give the app only variables it reads, each one valid', () => {
    const env = compose.services.app.environment ?? {};
    expect(Object.keys(env).filter((name) => !ENV_VARIABLES.includes(name))).toEqual([]);
    expect(() => loadConfig(env)).not.toThrow();
    const config = loadConfig(env);
    expect(new URL(config.databaseUrl!).hostname).toBe('db');
    expect(new URL(config.smtpUrl!).hostname).toBe('mail');
    const db = compose.services.db.environment ?? {};
    expect(new URL(config.databaseUrl!).pathname).toBe(`/${db.POSTGRES_DB}`);
  });
});

describe('docker-compose.yml: the deployment of several instances', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
    services: Record<
      string,
      {
        image?: string;
        environment?: Record<string, string>;
        ports?: string[];
        volumes?: string[];
        deploy?: { replicas?: number };
      }
    >;
  };
  const app = compose.services.app;

  it('should run two app replicas, reachable only through the proxy', () => {
    expect(app.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // Two replicas cannot publish one host port: the proxy does.
    expect(app.ports).toBeUndefined();
    expect(compose.services.proxy.image).toMatch(/^caddy:/);
    expect(compose.services.proxy.ports).toEqual(['127.0.0.1:3000:80']);
  });

  it('should proxy to the app port and trust that one proxy', () => {
    const config = loadConfig(app.environment ?? {});
    expect(config.trustProxy).toBe(1);
    const mount = compose.services.proxy.volumes?.find((v) => v.includes('Caddyfile'));
    const caddyfile = readFileSync(mount!.split(':')[0], 'utf8');
    expect(caddyfile).toMatch(/dynamic a \{\s*name app\s*port (\d+)/);
    expect(caddyfile.match(/port (\d+)/)![1]).toBe(String(config.port));
  });

  it('should size the pools of all replicas within the default max_connections of PostgreSQL', () => {
    const config = loadConfig(app.environment ?? {});
    const margin = 10; // migrations, psql, a replica starting while another stops
    expect(app.deploy!.replicas! * config.dbPoolMax + margin).toBeLessThanOrEqual(100);
  });
});

describe('DB_POOL_MAX', () => {
  it('should default to 10, refuse 0, and be the pg pool size', () => {
    expect(loadConfig({}).dbPoolMax).toBe(10);
    expect(() => loadConfig({ DB_POOL_MAX: '0' })).toThrow(/DB_POOL_MAX/);
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/klar', DB_POOL_MAX: '4' });
    expect(dataSourceOptions(config)).toMatchObject({ poolSize: 4 });
  });

  it('should hold the retention settings, validated', () => {
    expect(loadConfig({})).toMatchObject({ mailBodyRetentionDays: 30, retentionClosedMonths: 6 });
    expect(loadConfig({ MAIL_BODY_RETENTION_DAYS: '7' }).mailBodyRetentionDays).toBe(7);
    expect(() => loadConfig({ MAIL_BODY_RETENTION_DAYS: '0' })).toThrow(/MAIL_BODY_RETENTION_DAYS/);
    expect(() => loadConfig({ RETENTION_CLOSED_MONTHS: 'six' })).toThrow(/RETENTION_CLOSED_MONTHS/);
  });
});

describe('the embedded database', () => {
  it('should keep its data across a restart of the app', async () => {
    const database = await createTestDatabase({ embedded: true });
    try {
      const first = await createTestApp({ database });
      const code = await new Factory(first).branch();
      const applicant = await new Factory(first).apply({ branchCode: code });
      await first.close();

      const second = await createTestApp({ database });
      try {
        const branches = await request(second.http).get('/api/v1/branches').expect(200);
        expect(branches.body).toContainEqual({ code, name: `Home-Start ${code}` });
        const me = await request(second.http)
          .get('/api/v1/me')
          .auth(applicant.portalToken, { type: 'bearer' })
          .expect(200);
        expect(me.body.id).toBe(applicant.id);
      } finally {
        await second.close();
      }
    } finally {
      await database.dispose();
    }
  });
});

describe('the demo data', () => {
  it('should seed volunteers at every stage once, and survive a second start', async () => {
    const database = await createTestDatabase();
    try {
      const first = await createTestApp({ database, env: { SEED_DEMO: 'true' } });
      await first.close();
      const t = await createTestApp({ database, env: { SEED_DEMO: 'true' } });
      try {
        const token = await new Factory(t).login('koordinator@klar.local', 'klar-demo-2026');
        const list = await request(t.http)
          .get('/api/v1/volunteers')
          .auth(token, { type: 'bearer' })
          .expect(200);
        const stages = list.body.items.map((v: { stage: string }) => v.stage).sort();
        expect(stages).toEqual([
          'applied',
          'approved',
          'approved',
          'matchable',
          'visit_scheduled',
          'withdrawn',
        ]);
        const courses = await request(t.http)
          .get('/api/v1/courses')
          .query({ branch: 'koebenhavn' })
          .expect(200);
        expect(courses.body).toHaveLength(1);
        await request(t.http)
          .get('/api/v1/me')
          .auth('demo-camilla', { type: 'bearer' })
          .expect(200);
      } finally {
        await t.close();
      }
    } finally {
      await database.dispose();
    }
  });
});

describe('health', () => {
  it('should ask the database once a second however many ask at once, answered ahead of the app', async () => {
    const t = await createTestApp({ env: { OUTBOX_WORKER: 'false' } });
    try {
      const query = jest.spyOn(t.db, 'query');
      const checks = () => query.mock.calls.filter(([sql]) => sql === 'SELECT 1').length;
      const many = () =>
        Promise.all(Array.from({ length: 20 }, () => request(t.http).get('/health')));
      for (const res of [...(await many()), ...(await many())]) {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'ok', database: 'up' });
        expect(res.headers['cache-control']).toBe('no-store');
      }
      expect(checks()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_CHECK_TTL_MS + 100));
      await request(t.http).get('/health?probe=1').expect(200);
      await request(t.http).head('/health').expect(200);
      // Spelled as Express would have routed it: a trailing slash, another case.
      await request(t.http).get('/health/').expect(200, { status: 'ok', database: 'up' });
      await request(t.http).get('/Health').expect(200, { status: 'ok', database: 'up' });
      expect(checks()).toBe(2);
      // Any other method is the app's, which has no such route.
      await request(t.http).post('/health').expect(404);
    } finally {
      await t.close();
    }
  });

  it('should answer 503 when the database is down', async () => {
    // No mail worker: its polls would (rightly) log failures against the closed database.
    const t = await createTestApp({ env: { OUTBOX_WORKER: 'false' } });
    try {
      await request(t.http).get('/health').expect(200);
      await t.db.destroy();
      await request(t.http).get('/health').expect(503, { status: 'error', database: 'down' });
    } finally {
      await t.close();
    }
  });
});

const onServer = serverUrl() ? describe : describe.skip;

// pg_sleep holds a server connection; the embedded database runs one statement at a time.
onServer('health while the database does not answer', () => {
  it('should answer 503 within the timeout while the database does not answer, and 200 once it does', async () => {
    const t = await createTestApp({ env: { OUTBOX_WORKER: 'false' } });
    try {
      // Every connection of the pool held by a slow statement: /health's SELECT 1 waits.
      const pool = (t.db.options as { poolSize?: number }).poolSize ?? 10;
      const heldMs = HEALTH_CHECK_TIMEOUT_MS + 1_500;
      const held = Promise.all(
        Array.from({ length: pool }, () => t.db.query(`SELECT pg_sleep(${heldMs / 1000})`)),
      );
      const asked = Date.now();
      await request(t.http).get('/health').expect(503, { status: 'error', database: 'down' });
      const waited = Date.now() - asked;
      expect(waited).toBeGreaterThanOrEqual(HEALTH_CHECK_TIMEOUT_MS - 50);
      expect(waited).toBeLessThan(heldMs); // the timeout, not the database, answered
      await held;
      await new Promise((resolve) => setTimeout(resolve, HEALTH_CHECK_TTL_MS));
      await request(t.http).get('/health').expect(200, { status: 'ok', database: 'up' });
    } finally {
      await t.close();
    }
  });
});
