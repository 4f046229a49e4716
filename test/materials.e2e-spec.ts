import PDFDocument from 'pdfkit';
import request from 'supertest';
import { extractText } from 'unpdf';
import { createTestApp, createTestDatabase, type TestApp } from './app';
import { COORDINATOR_PASSWORD, createCourse, Factory } from './factories';
import { csrfIn, signedInAgent } from './pages';

/** A real PDF, made with pdfkit, that says `text`. */
function pdfSaying(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const parts: Buffer[] = [];
    doc.on('data', (part: Buffer) => parts.push(part));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    doc.text(text);
    doc.end();
  });
}

/** Reads a binary response whole, to compare it byte for byte. */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  res.on('data', (part: Buffer) => parts.push(part));
  res.on('end', () => done(null, Buffer.concat(parts)));
};

describe('materials and reading confirmations', () => {
  let t: TestApp;
  let factory: Factory;
  let admin: string;
  let branchCode: string;
  let coordinator: string;
  let coordinatorEmail: string;
  let otherCoordinator: string;
  let course: Awaited<ReturnType<typeof createCourse>>;
  let booked: { id: string; portalToken: string };
  let stranger: { id: string; portalToken: string };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    admin = await factory.admin();
    branchCode = await factory.branch();
    ({ token: coordinator, email: coordinatorEmail } = await factory.coordinator(branchCode));
    otherCoordinator = (await factory.coordinator(await factory.branch())).token;
    course = await createCourse(t, coordinator, { branchCode });
    booked = await factory.apply({ branchCode });
    stranger = await factory.apply({ branchCode });
    await request(t.http)
      .post(`/api/v1/courses/${course.id}/bookings`)
      .auth(coordinator, { type: 'bearer' })
      .send({ volunteerId: booked.id })
      .expect(201);
  });
  afterAll(() => t.close());

  const upload = (token: string, fields: Record<string, string>, file?: [Buffer, string]) => {
    const req = request(t.http).post('/api/v1/materials').auth(token, { type: 'bearer' });
    for (const [name, value] of Object.entries(fields)) {
      void req.field(name, value);
    }
    return file ? req.attach('file', file[0], file[1]) : req;
  };
  /** The volunteer's list, with Klar's own links (whole URLs, api.md) made paths for supertest. */
  const mine = async (token: string) =>
    (
      (
        await request(t.http)
          .get('/api/v1/me/materials')
          .auth(token, { type: 'bearer' })
          .expect(200)
      ).body as { downloadUrl: string }[]
    ).map((m) => {
      expect(m.downloadUrl).toMatch(/^https?:\/\//);
      return { ...m, downloadUrl: m.downloadUrl.replace(/^http:\/\/klar\.test(?=\/)/, '') };
    }) as unknown as {
      id: string;
      title: string;
      topic: string | null;
      sessionId: string | null;
      downloadUrl: string;
      requiresConfirmation: boolean;
      confirmedAt: string | null;
    }[];

  it('should take a real PDF on a topic from an administrator and give it back to the booked volunteer', async () => {
    const pdf = await pdfSaying('Børnesikkerhedspolitik for frivillige');
    const created = await upload(
      admin,
      { title: 'Børnesikkerhedspolitikken', topic: 'child_safety', requiresConfirmation: 'true' },
      [pdf, 'politik.pdf'],
    ).expect(201);
    expect(created.body).toMatchObject({
      title: 'Børnesikkerhedspolitikken',
      topic: 'child_safety',
      sessionId: null,
      contentType: 'application/pdf',
      size: pdf.length,
      url: null,
      version: 1,
    });

    const listed = (await mine(booked.portalToken)).find((m) => m.id === created.body.id)!;
    expect(listed).toMatchObject({ requiresConfirmation: true, confirmedAt: null });
    // The signed link opens in a browser: no header at all.
    const res = await request(t.http)
      .get(listed.downloadUrl)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
    const { text } = await extractText(new Uint8Array(res.body as Buffer), { mergePages: true });
    expect(text).toContain('Børnesikkerhedspolitik');
    // And with the portal token as bearer.
    await request(t.http)
      .get(`/api/v1/me/materials/${created.body.id}/file`)
      .auth(booked.portalToken, { type: 'bearer' })
      .expect(200)
      .expect('Content-Type', 'application/pdf');
  });

  it('should refuse a file whose name says PDF but whose content is text, naming the field', async () => {
    const res = await upload(admin, { title: 'Falsk PDF', topic: 'uncrc' }, [
      Buffer.from('just some text, not a PDF at all\n'.repeat(20)),
      'fake.pdf',
    ]).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
  });

  it('should refuse more than 20 MB with a 413 in the api.md error body', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    big.write('%PDF-1.4\n');
    const res = await upload(admin, { title: 'For stor', topic: 'uncrc' }, [big, 'big.pdf']);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('should take an http(s) link but not another scheme', async () => {
    const bad = await upload(admin, {
      title: 'FN',
      topic: 'uncrc',
      url: 'javascript:alert(1)',
    }).expect(400);
    expect(bad.body.errors[0].field).toBe('url');
    const ok = await upload(admin, {
      title: 'FN’s Børnekonvention',
      topic: 'uncrc',
      url: 'https://www.unicef.dk/boernekonventionen',
    }).expect(201);
    expect(ok.body).toMatchObject({ url: 'https://www.unicef.dk/boernekonventionen', size: null });
    const listed = (await mine(booked.portalToken)).find((m) => m.id === ok.body.id);
    // uncrc is taught on the booked course, so its link is the volunteer's too.
    expect(listed?.downloadUrl).toBe('https://www.unicef.dk/boernekonventionen');
  });

  it('should say "not both" when a topic and a session, or a file and a link, are given together', async () => {
    const both = await upload(
      admin,
      {
        title: 'To steder',
        topic: 'uncrc',
        sessionId: course.sessions[0].id,
        url: 'https://example.org/a',
      },
      [await pdfSaying('To steder'), 'to.pdf'],
    ).expect(400);
    const errors = both.body.errors as { field: string; code: string; message: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'sessionId',
          code: 'oneOf',
          message: expect.stringContaining('not both'),
        }),
        expect.objectContaining({
          field: 'file',
          code: 'oneOf',
          message: expect.stringContaining('not both'),
        }),
      ]),
    );
    const neither = await upload(admin, { title: 'Intet' }).expect(400);
    expect(neither.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'topic', code: 'required' }),
        expect.objectContaining({ field: 'file', code: 'required' }),
      ]),
    );
  });

  it('should stream a multi-chunk session file back byte-identical, to the right people only', async () => {
    const body = Buffer.alloc(700 * 1024);
    for (let i = 0; i < body.length; i++) {
      body[i] = (i * 7919) % 251;
    }
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), body]);
    const sessionId = course.sessions[1].id;
    // A topic material is the administrator's; a coordinator attaches to a session only.
    await upload(coordinator, { title: 'x', topic: 'uncrc' }, [pdf, 'x.pdf']).expect(403);
    await upload(otherCoordinator, { title: 'Slides', sessionId }, [pdf, 'slides.pdf']).expect(404);
    const created = await upload(coordinator, { title: 'Slides', sessionId }, [
      pdf,
      'slides.pdf',
    ]).expect(201);
    const [{ n }] = await t.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM material_chunk c JOIN material_version v ON v.id = c.version_id
        WHERE v.material_id = $1`,
      [created.body.id],
    );
    expect(Number(n)).toBe(3);

    const listed = (await mine(booked.portalToken)).find((m) => m.id === created.body.id)!;
    expect(listed.sessionId).toBe(sessionId);
    const res = await request(t.http)
      .get(listed.downloadUrl)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
    const staff = await request(t.http)
      .get(`/api/v1/materials/${created.body.id}/file`)
      .auth(coordinator, { type: 'bearer' })
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(staff.body as Buffer, pdf)).toBe(0);

    // Staff of another branch: 404, for the file and in the list.
    await request(t.http)
      .get(`/api/v1/materials/${created.body.id}/file`)
      .auth(otherCoordinator, { type: 'bearer' })
      .expect(404);
    const theirs = await request(t.http)
      .get(`/api/v1/materials?sessionId=${sessionId}`)
      .auth(otherCoordinator, { type: 'bearer' })
      .expect(200);
    expect(theirs.body).toEqual([]);
    const ours = await request(t.http)
      .get(`/api/v1/materials?sessionId=${sessionId}`)
      .auth(coordinator, { type: 'bearer' })
      .expect(200);
    expect(ours.body.map((m: { id: string }) => m.id)).toEqual([created.body.id]);

    // A volunteer not on the course: nothing listed, 404 by bearer.
    expect((await mine(stranger.portalToken)).map((m) => m.id)).not.toContain(created.body.id);
    await request(t.http)
      .get(`/api/v1/me/materials/${created.body.id}/file`)
      .auth(stranger.portalToken, { type: 'bearer' })
      .expect(404);
    // No link at all: 401.
    await request(t.http).get(`/api/v1/me/materials/${created.body.id}/file`).expect(401);
    // The booked volunteer's signed link with another volunteer put in: 404.
    const url = new URL(listed.downloadUrl, 'http://x');
    url.searchParams.set('volunteer', stranger.id);
    await request(t.http).get(`${url.pathname}${url.search}`).expect(404);
    // An altered signature or expiry: 404.
    const altered = new URL(listed.downloadUrl, 'http://x');
    altered.searchParams.set('sig', `${altered.searchParams.get('sig')!.slice(0, -2)}AA`);
    await request(t.http).get(`${altered.pathname}${altered.search}`).expect(404);
    const later = new URL(listed.downloadUrl, 'http://x');
    later.searchParams.set('expires', String(Number(later.searchParams.get('expires')) + 3600));
    await request(t.http).get(`${later.pathname}${later.search}`).expect(404);
  });

  it('should not open an expired signed link, and give links valid for at least an hour', async () => {
    const created = await upload(
      coordinator,
      { title: 'Vej til lokalet', sessionId: course.sessions[0].id },
      [await pdfSaying('Anden sal'), 'vej.pdf'],
    ).expect(201);
    const listed = (await mine(booked.portalToken)).find((m) => m.id === created.body.id)!;
    const expires = Number(new URL(listed.downloadUrl, 'http://x').searchParams.get('expires'));
    expect(expires * 1000).toBeGreaterThanOrEqual(Date.now() + 3600_000);

    const { signDownload } = await import('../src/materials/material-signing');
    const [{ value }] = await t.db.query<{ value: string }[]>(
      `SELECT value FROM app_secret WHERE name = 'session'`,
    );
    const [{ id: versionId }] = await t.db.query<{ id: string }[]>(
      `SELECT id FROM material_version WHERE material_id = $1`,
      [created.body.id],
    );
    const past = Math.floor(Date.now() / 1000) - 60;
    const sig = signDownload(value, versionId, booked.id, past);
    await request(t.http)
      .get(
        `/api/v1/me/materials/${created.body.id}/file?volunteer=${booked.id}&expires=${past}&sig=${sig}`,
      )
      .expect(404);
  });

  it('should store a confirmation with its version, and ask again after a new upload', async () => {
    const created = await upload(
      admin,
      { title: 'Rammerne for frivillige', topic: 'frameworks', requiresConfirmation: 'true' },
      [await pdfSaying('Version 1'), 'rammer.pdf'],
    ).expect(201);
    const id = created.body.id as string;
    const confirm = () =>
      request(t.http)
        .post(`/api/v1/me/materials/${id}/confirm`)
        .auth(booked.portalToken, { type: 'bearer' });

    const first = await confirm().expect(201);
    expect(first.body).toEqual({ confirmedAt: expect.any(String), version: 1 });
    const again = await confirm().expect(200);
    expect(again.body).toEqual(first.body);
    expect((await mine(booked.portalToken)).find((m) => m.id === id)?.confirmedAt).toBe(
      first.body.confirmedAt,
    );
    // Someone not on a course with the topic cannot confirm it.
    await request(t.http)
      .post(`/api/v1/me/materials/${id}/confirm`)
      .auth(stranger.portalToken, { type: 'bearer' })
      .expect(404);

    // Only the administrator uploads a new version of a topic material.
    const v2pdf = await pdfSaying('Version 2');
    await request(t.http)
      .post(`/api/v1/materials/${id}/versions`)
      .auth(coordinator, { type: 'bearer' })
      .attach('file', v2pdf, 'rammer.pdf')
      .expect(403);
    const v2 = await request(t.http)
      .post(`/api/v1/materials/${id}/versions`)
      .auth(admin, { type: 'bearer' })
      .attach('file', v2pdf, 'rammer.pdf')
      .expect(201);
    expect(v2.body).toMatchObject({ id, version: 2, size: v2pdf.length });
    const listed = (await mine(booked.portalToken)).find((m) => m.id === id)!;
    expect(listed.confirmedAt).toBeNull();
    const file = await request(t.http)
      .get(listed.downloadUrl)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, v2pdf)).toBe(0);
    const second = await confirm().expect(201);
    expect(second.body.version).toBe(2);
    const stored = await t.db.query<{ version: number }[]>(
      `SELECT version FROM material_confirmation WHERE material_id = $1 AND volunteer_id = $2 ORDER BY version`,
      [id, booked.id],
    );
    expect(stored.map((r) => r.version)).toEqual([1, 2]);
  });

  it('should name the missing field when neither a file nor a link comes', async () => {
    const res = await upload(admin, { title: 'Intet', topic: 'uncrc' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
    const both = await upload(coordinator, { title: '' }).expect(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toContain('title');
  });

  it('should take a multipart upload from the session page only with its CSRF token in the body', async () => {
    const sessionId = course.sessions[2].id;
    const pagePath = `/staff/sessions/${sessionId}`;
    const agent = await signedInAgent(t, coordinatorEmail, COORDINATOR_PASSWORD);
    const page = await agent.get(pagePath).expect(200);
    expect(page.text).toContain('enctype="multipart/form-data"');
    const pdf = await pdfSaying('Slides');

    // Without the token: refused, nothing stored.
    await agent
      .post('/staff/materials')
      .field('title', 'Uden token')
      .field('sessionId', sessionId)
      .field('back', pagePath)
      .attach('file', pdf, 'slides.pdf')
      .expect(403);
    // Someone not signed in is not read at all.
    await request(t.http)
      .post('/staff/materials')
      .field('_csrf', csrfIn(page.text))
      .field('title', 'Fremmed')
      .attach('file', pdf, 'slides.pdf')
      .expect((res) => expect([303, 403]).toContain(res.status));

    const sent = await agent
      .post('/staff/materials')
      .field('_csrf', csrfIn(page.text))
      .field('title', 'Slides til dag 3')
      .field('sessionId', sessionId)
      .field('back', `${pagePath}#materials`)
      .attach('file', pdf, 'slides.pdf')
      .expect(303);
    expect(sent.headers.location).toBe(`${pagePath}#materials`);
    const after = await agent.get(pagePath).expect(200);
    expect(after.text).toContain('Materialet er tilføjet.');
    expect(after.text).toContain('Slides til dag 3');
    const [material] = await t.db.query<{ id: string; title: string }[]>(
      `SELECT id, title FROM material WHERE session_id = $1`,
      [sessionId],
    );
    expect(material.title).toBe('Slides til dag 3');
    const file = await agent
      .get(`/staff/materials/${material.id}/file`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);

    // A text file called .pdf: back to the page with the message by the file field.
    const again = await agent.get(pagePath).expect(200);
    await agent
      .post('/staff/materials')
      .field('_csrf', csrfIn(again.text))
      .field('title', 'Falsk')
      .field('sessionId', sessionId)
      .field('back', `${pagePath}#materials`)
      .attach('file', Buffer.from('bare tekst'), 'falsk.pdf')
      .expect(303);
    const refused = await agent.get(pagePath).expect(200);
    expect(refused.text).toContain('Filen skal være PDF, Word, PowerPoint, PNG eller JPEG');
    expect(refused.text).toContain('value="Falsk"');

    // A new version from the list's own form: the same file id, the new bytes.
    const v2 = await pdfSaying('Slides, rettet');
    const listPage = await agent.get(pagePath).expect(200);
    expect(listPage.text).toContain(`action="/staff/materials/${material.id}/versions"`);
    await agent
      .post(`/staff/materials/${material.id}/versions`)
      .field('_csrf', csrfIn(listPage.text))
      .field('back', `${pagePath}#materials`)
      .attach('file', v2, 'slides.pdf')
      .expect(303);
    expect((await agent.get(pagePath).expect(200)).text).toContain('Den nye version er gemt.');
    const newer = await agent
      .get(`/staff/materials/${material.id}/file`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(Buffer.compare(newer.body as Buffer, v2)).toBe(0);
  });

  it('should keep a topic that has materials in the curriculum until they are deleted', async () => {
    const current = (await request(t.http).get('/api/v1/curriculum').expect(200)).body as {
      requiredHours: number;
      topics: { code: string }[];
    };
    const put = (topics: object[]) =>
      request(t.http)
        .put('/api/v1/curriculum')
        .auth(admin, { type: 'bearer' })
        .send({ requiredHours: current.requiredHours, topics });
    const guest = {
      code: 'guest_talk',
      title: 'Gæsteoplæg',
      titleEn: 'Guest talk',
      mandatory: false,
    };
    await put([...current.topics, guest]).expect(200);
    const material = (
      await upload(admin, {
        title: 'Oplæg',
        topic: 'guest_talk',
        url: 'https://example.org/oplaeg',
      }).expect(201)
    ).body as { id: string };

    const refused = await put(current.topics).expect(409);
    expect(refused.body.message).toContain('guest_talk');
    const [kept] = await t.db.query('SELECT 1 FROM material WHERE id = $1', [material.id]);
    expect(kept).toBeDefined();

    await request(t.http)
      .delete(`/api/v1/materials/${material.id}`)
      .auth(admin, { type: 'bearer' })
      .expect(204);
    await put(current.topics).expect(200);
  });
});

describe('materials on the embedded database', () => {
  it('should store and stream a multi-chunk file byte-identical, as on the server', async () => {
    const database = await createTestDatabase({ embedded: true });
    try {
      const t = await createTestApp({ database });
      try {
        const admin = await new Factory(t).admin();
        const bytes = Buffer.alloc(600 * 1024);
        for (let i = 0; i < bytes.length; i++) {
          bytes[i] = (i * 31) % 256;
        }
        const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), bytes]);
        const created = await request(t.http)
          .post('/api/v1/materials')
          .auth(admin, { type: 'bearer' })
          .field('title', 'Stor fil')
          .field('topic', 'uncrc')
          .attach('file', pdf, 'stor.pdf')
          .expect(201);
        const back = await request(t.http)
          .get(`/api/v1/materials/${created.body.id}/file`)
          .auth(admin, { type: 'bearer' })
          .buffer(true)
          .parse(binary)
          .expect(200);
        expect(Buffer.compare(back.body as Buffer, pdf)).toBe(0);
      } finally {
        await t.close();
      }
    } finally {
      await database.dispose();
    }
  });
});
