import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArgumentsHost, ConsoleLogger, type LoggerService } from '@nestjs/common';
import request from 'supertest';
import { ErrorFilter } from '../src/common/error.filter';
import { redactForLog } from '../src/common/log-redaction';
import { createTestApp, type TestApp } from './app';
import { dateFromToday, instantFromToday } from './dates';
import { applicationBody, createCourse, Factory, portalTokenIn } from './factories';

/**
 * Everything Klar writes to stdout and stderr while the block runs, with every Nest log
 * level switched on (the test app logs errors only): what a log shipper would get.
 */
async function capturingLogs(t: TestApp, run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...parts: unknown[]) =>
      lines.push(
        `${level} ${parts.map((p) => (p instanceof Error ? p.stack : String(p))).join(' ')}\n`,
      );
  const everyLevel: LoggerService = {
    log: record('LOG'),
    error: record('ERROR'),
    warn: record('WARN'),
    debug: record('DEBUG'),
    verbose: record('VERBOSE'),
    fatal: record('FATAL'),
  };
  const capture = (chunk: unknown) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  const writes = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = capture;
  process.stderr.write = capture;
  t.app.useLogger(everyLevel);
  try {
    await run();
  } finally {
    t.app.useLogger(new ConsoleLogger({ logLevels: ['error'] }));
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  }
  return lines.join('');
}

function fakeHost(path: string): ArgumentsHost {
  const req = { method: 'GET', path, originalUrl: path, headers: {}, accepts: () => false };
  const res = { headersSent: true, setHeader: () => undefined };
  return {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
}

function expectNoneOf(log: string, secrets: string[]) {
  for (const secret of secrets) {
    expect({ secret, found: log.toLowerCase().includes(secret.toLowerCase()) }).toEqual({
      secret,
      found: false,
    });
  }
}

describe('log redaction', () => {
  it('should blank addresses, links and tokens but keep ids and words', () => {
    const id = '0b7d1c7e-3f7a-4c61-9d7e-2a4f6b8c9d10';
    const text = redactForLog(
      `volunteer ${id}: Key (email)=(maja.x@example.org) exists; see http://klar.test/v/AbC123def456ghi789JKL012mno and /x?token=s3cr3t&y=1 and Xy9_abcdefghijklmnopqrstu`,
    );
    expect(text).toContain(id);
    expect(text).toContain('http://klar.test/<link>');
    expect(text).not.toMatch(/maja|AbC123|s3cr3t|Xy9_/);
    expect(text).toContain('token=<token>');
  });
});

describe('no personal data in the logs on a volunteer path', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('should log no name, email, phone or token from apply to course booking and a failing link', async () => {
    t = await createTestApp();
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const staff = (req: request.Test) => req.auth(coordinator.token, { type: 'bearer' });
    const person = { firstName: 'Ingeborg', lastName: 'Quistgaard', phone: '+45 61 72 83 94' };
    let applicant!: Awaited<ReturnType<Factory['apply']>>;

    const log = await capturingLogs(t, async () => {
      applicant = await factory.apply({ branchCode, ...person });
      const visit = await staff(
        request(t.http)
          .post(`/api/v1/volunteers/${applicant.id}/home-visits`)
          .send({ scheduledAt: instantFromToday(-2) }),
      );
      const visitId = (visit.body as { id?: string }).id;
      if (visitId) {
        await staff(
          request(t.http)
            .post(`/api/v1/home-visits/${visitId}/outcome`)
            .send({ outcome: 'approved' }),
        ).expect(200);
      }
      await staff(
        request(t.http)
          .post(`/api/v1/volunteers/${applicant.id}/attestations`)
          .send({ receivedOn: dateFromToday(-3), result: 'clean' }),
      ).expect(201);
      await staff(request(t.http).get(`/api/v1/volunteers/${applicant.id}`)).expect(200);
      const course = await createCourse(t, coordinator.token, { branchCode });
      await staff(
        request(t.http)
          .post(`/api/v1/courses/${course.id}/bookings`)
          .send({ volunteerId: applicant.id }),
      ).expect(201);
      await t.mail.waitFor(applicant.email, (m) => /Forberedende kursus/.test(m.text ?? ''));
      await request(t.http).get(`/v/${applicant.portalToken}`).expect(200);
      // A link with a token that fails, a feed token, and a server error on a token path.
      await request(t.http).get(`/v/${applicant.portalToken}/no-such-page`).expect(404);
      await request(t.http).get(`/calendar/${applicant.portalToken}.ics`);
      await request(t.http)
        .get(`/password-reset/${applicant.portalToken}?token=${applicant.portalToken}`)
        .set('Accept', 'text/html');
      // A server error on a personal link whose message quotes the person: the filter logs it.
      new ErrorFilter().catch(
        new Error(`boom for ${applicant.email} at http://klar.test/v/${applicant.portalToken}`),
        fakeHost(`/v/${applicant.portalToken}/steps`),
      );
    });

    // The capture worked: it holds the error filter's line, redacted.
    expect(log).toMatch(/GET \/v\/:token\/steps failed \[[0-9a-f-]+\]/);
    expect(log).toContain('boom for <email> at http://klar.test/<link>');
    expectNoneOf(log, [
      person.firstName,
      person.lastName,
      applicant.email,
      person.phone,
      person.phone.replace(/\D/g, '').slice(2),
      applicant.portalToken,
    ]);
  });

  it('should say "mail queued to volunteer <id>" in .eml mode, not the address or the link', async () => {
    t = await createTestApp({ env: { SMTP_URL: '' } });
    const factory = new Factory(t);
    const branchCode = await factory.branch();
    const body = applicationBody({ branchCode, firstName: 'Ingeborg', lastName: 'Quistgaard' });
    let file = '';
    const log = await capturingLogs(t, async () => {
      await request(t.http).post('/api/v1/applications').send(body).expect(202);
      const dir = join(t.config.dataDir, 'outbox');
      for (let i = 0; i < 100 && !file; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        try {
          file = readdirSync(dir).find((name) => name.endsWith('.eml')) ?? '';
        } catch {
          // not yet written
        }
      }
      // The log line follows the file.
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    expect(file).not.toBe('');
    const eml = readFileSync(join(t.config.dataDir, 'outbox', file), 'utf8').replace(/=\r?\n/g, '');
    const token = portalTokenIn(eml);
    const [row]: { id: string }[] = await t.db.query('SELECT id FROM volunteer WHERE email = $1', [
      body.email,
    ]);
    expect(log).toContain(`queued to volunteer ${row.id}: outbox/${file}`);
    expectNoneOf(log, [String(body.email), token, 'Ingeborg', 'Quistgaard', '20 30 40 50']);
  });
});
