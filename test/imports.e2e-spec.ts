import iconv from 'iconv-lite';
import request from 'supertest';
import { todayInCopenhagen } from '../src/common/dates';
import { StagedImportsPurge } from '../src/imports/staged-imports.purge';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from './app';
import { COORDINATOR_PASSWORD, Factory } from './factories';
import { csrfIn, signedInAgent } from './pages';
import { mailsTo, settle } from './links';

const HEADER =
  'Fornavn;Efternavn;E-mail;Telefon;Postnummer;Ansøgt;Hjemmebesøg;Udfald;Børneattest modtaget;Børneattest resultat;Kursus gennemført;Sprog;Tider;Noter';

/** Reads a binary response whole. */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  res.on('data', (part: Buffer) => parts.push(part));
  res.on('end', () => done(null, Buffer.concat(parts)));
};

let counter = 0;
const unique = (name: string) => `${name}.${Date.now().toString(36)}${(counter += 1)}@example.org`;

interface Report {
  created: number;
  updated: number;
  unchanged: number;
  errorRows: number;
  rows: {
    row: number;
    email: string;
    action: string;
    problems: { column: string; message: string }[];
  }[];
}

describe('importing a branch spreadsheet', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let otherCode: string;
  let coordinator: string;
  let coordinatorEmail: string;

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    otherCode = await factory.branch();
    ({ token: coordinator, email: coordinatorEmail } = await factory.coordinator(branchCode));
  });
  afterAll(() => t.close());

  const post = (
    file: Buffer,
    name: string,
    fields: Record<string, string> = {},
    token = coordinator,
  ) => {
    const req = request(t.http).post('/api/v1/imports').auth(token, { type: 'bearer' });
    for (const [key, value] of Object.entries(fields)) {
      req.field(key, value);
    }
    return req.attach('file', file, name);
  };

  const csv = (lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8');

  const volunteerByEmail = async (email: string) =>
    (
      await t.db.query<
        {
          id: string;
          first_name: string;
          phone: string;
          postcode: string;
          stage: string;
          status: string;
          consent_source: string;
          consent_at: Date | null;
          consent_text_version: string | null;
          created_at: Date;
          languages: string[];
          availability: string[];
          locale: string;
        }[]
      >('SELECT * FROM volunteer WHERE email = $1', [email])
    )[0];

  const count = async (table: string) =>
    (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  it('should import the downloaded template, filled in, and read it back as created', async () => {
    const file: Buffer = (
      await request(t.http)
        .get('/api/v1/imports/template?format=csv')
        .auth(coordinator, { type: 'bearer' })
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect('content-type', /text\/csv/)
    ).body;
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(HEADER);
    const email = unique('maja');
    const filled = Buffer.from(
      `${text.trimEnd().replace('maja.sorensen@example.org', email)}\r\n`,
      'utf8',
    );

    const dry = await post(filled, 'skabelon.csv').expect(200);
    expect(dry.body).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      errorRows: 0,
      rows: [{ row: 2, email, action: 'create', problems: [] }],
    });
    expect(await volunteerByEmail(email)).toBeUndefined();

    const done = await post(filled, 'skabelon.csv', { dryRun: 'false' }).expect(200);
    expect(done.body).toMatchObject({ created: 1, errorRows: 0 });
    const v = await volunteerByEmail(email);
    expect(v).toMatchObject({
      first_name: 'Maja',
      phone: '+45 20 30 40 50',
      postcode: '8000',
      status: 'active',
      consent_source: 'import',
      consent_at: null,
      consent_text_version: null,
      locale: 'da',
      languages: ['da', 'en'],
      availability: ['weekday_evening', 'weekend'],
    });
    // Applied 02-09-2026, at noon in Copenhagen.
    expect(v.created_at.toISOString()).toBe('2026-09-02T10:00:00.000Z');
    const [visit] = await t.db.query<{ outcome: string; held_at: Date }[]>(
      'SELECT outcome, held_at FROM home_visit WHERE volunteer_id = $1',
      [v.id],
    );
    expect(visit).toEqual({ outcome: 'approved', held_at: new Date('2026-09-24T10:00:00Z') });
    const [attestation] = await t.db.query<{ result: string; received_on: string }[]>(
      `SELECT result, to_char(received_on, 'YYYY-MM-DD') AS received_on FROM attestation WHERE volunteer_id = $1`,
      [v.id],
    );
    expect(attestation).toEqual({ result: 'clean', received_on: '2026-10-10' });
    // The course before Klar is its own record, which the SQL course rule counts.
    const [prior] = await t.db.query<{ completed_on: string; completed: boolean }[]>(
      `SELECT to_char(pc.completed_on, 'YYYY-MM-DD') AS completed_on, p.completed
         FROM prior_course_completion pc JOIN volunteer_course_progress p USING (volunteer_id)
        WHERE pc.volunteer_id = $1`,
      [v.id],
    );
    expect(prior).toEqual({ completed_on: '2025-05-15', completed: true });
    // Readiness is derived: approved, a clean certificate and the course before Klar make
    // the person matchable (created 'applied'), without the matchable mail.
    expect(v.stage).toBe('matchable');
    const detail = await request(t.http)
      .get(`/api/v1/volunteers/${v.id}`)
      .auth(coordinator, { type: 'bearer' })
      .expect(200);
    const course = (
      detail.body.readiness.requirements as { key: string; met: boolean; detail: unknown }[]
    ).find((r) => r.key === 'course');
    expect(course).toMatchObject({ met: true, detail: { prior: { completedOn: '2025-05-15' } } });
    expect(detail.body.consent).toMatchObject({ source: 'import', givenAt: null });
    const notes = await t.db.query<{ text: string }[]>(
      'SELECT text FROM volunteer_note WHERE volunteer_id = $1',
      [v.id],
    );
    expect(notes).toEqual([{ text: 'Har været familieven i en anden afdeling.' }]);
    const audit = await t.db.query<{ details: { file: string; line: number } }[]>(
      `SELECT details FROM audit_event WHERE volunteer_id = $1 AND action = 'volunteer.imported'`,
      [v.id],
    );
    expect(audit).toEqual([{ details: { file: 'skabelon.csv', line: 2 } }]);
    // No mail without "send the links", not even the matchable one.
    await settle(t);
    expect(await mailsTo(t, email)).toEqual([]);
  });

  it('should serve the template as XLSX with the same header', async () => {
    const file: Buffer = (
      await request(t.http)
        .get('/api/v1/imports/template?format=xlsx')
        .auth(coordinator, { type: 'bearer' })
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect('content-type', /spreadsheetml/)
    ).body;
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const header = (workbook.worksheets[0].getRow(1).values as string[]).slice(1);
    expect(header.join(';')).toBe(HEADER);
  });

  it('should read a Danish Excel CSV in Windows-1252 with dd-mm-yyyy dates and æøå names', async () => {
    const email = unique('soeren');
    const text = [
      HEADER,
      `Søren;Æbeløe-Åberg;${email};12345678;5000;03-11-2026;10.11.2026;opfølgning;;;;Dansk;Hverdage aften;Træffes bedst om aftenen`,
    ].join('\r\n');
    const res = await post(iconv.encode(text, 'win1252'), 'frivillige.csv', {
      dryRun: 'false',
    }).expect(200);
    expect(res.body).toMatchObject({ created: 1, errorRows: 0 });
    const v = await volunteerByEmail(email);
    expect(v).toMatchObject({ first_name: 'Søren', stage: 'visit_scheduled' });
    const [{ last_name }] = await t.db.query<{ last_name: string }[]>(
      'SELECT last_name FROM volunteer WHERE id = $1',
      [v.id],
    );
    expect(last_name).toBe('Æbeløe-Åberg');
  });

  it('should read an XLSX with date cells, serial numbers and a linked address', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Ark1');
    const email = unique('ida');
    sheet.addRow(HEADER.split(';'));
    sheet.addRow([
      'Ida',
      'Krogh',
      { text: email, hyperlink: `mailto:${email}` },
      4520304050,
      8200,
      new Date('2026-08-01T00:00:00Z'),
      46245, // 11-08-2026
      'afslået',
      null,
      null,
      null,
      'Engelsk, Arabisk',
      null,
      null,
    ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await post(file, 'frivillige.xlsx', { dryRun: 'false' }).expect(200);
    expect(res.body).toMatchObject({ created: 1, errorRows: 0 });
    const v = await volunteerByEmail(email);
    expect(v).toMatchObject({
      status: 'declined',
      stage: 'declined',
      postcode: '8200',
      phone: '4520304050',
      languages: ['en', 'ar'],
    });
    const [visit] = await t.db.query<{ held_at: Date }[]>(
      'SELECT held_at FROM home_visit WHERE volunteer_id = $1',
      [v.id],
    );
    expect(visit.held_at.toISOString()).toBe('2026-08-11T10:00:00.000Z');
  });

  it('should read an XLSX with a cell in column XFD quickly, and refuse more than 20,000 rows', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Ark1');
    sheet.addRow(HEADER.split(';'));
    for (let i = 0; i < 200; i += 1) {
      sheet.addRow(['Wide', `Row${i}`, unique('wide')]);
    }
    // One cell far right: read as 16,384 columns on every row, this took 800 MB.
    sheet.getCell('XFD1').value = 'Langt ude';
    sheet.getCell('XFD5').value = 'x';
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const res = await post(file, 'bred.xlsx').expect(200);
    const ms = Date.now() - started;
    expect(res.body).toMatchObject({ created: 200, errorRows: 0 });
    expect(ms).toBeLessThan(5_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);

    const rows = Array.from({ length: 20_001 }, (_, i) => `A;B;r${i}@example.org`);
    const tooMany = await post(
      Buffer.from(['Fornavn;Efternavn;E-mail', ...rows].join('\n')),
      'mange.csv',
    ).expect(400);
    expect(tooMany.body.errors).toEqual([
      expect.objectContaining({ field: 'file', code: 'tooManyRows' }),
    ]);
  });

  it('should count a person imported without Ansøgt as applied on their earliest step in the year figures', async () => {
    const code = await factory.branch();
    const admin = await factory.admin();
    const year = Number(todayInCopenhagen().slice(0, 4));
    const last = year - 1;
    const stepped = unique('stepped');
    const undated = unique('undated');
    const file = csv([
      // No Ansøgt: the certificate (February last year) is the earliest step.
      `Stine;Trin;${stepped};;;;10-03-${last};godkendt;01-02-${last};ren;;;;`,
      // No date at all: applied now, from Klar's point of view.
      `Ulla;Udato;${undated};;;;;;;;;;;`,
    ]);
    await post(file, 'uden-ansoegt.csv', { dryRun: 'false', branchCode: code }, admin).expect(200);
    expect((await volunteerByEmail(stepped)).created_at.toISOString()).toBe(
      `${last}-02-01T11:00:00.000Z`,
    );
    expect(Date.now() - (await volunteerByEmail(undated)).created_at.getTime()).toBeLessThan(
      60_000,
    );
    const applications = async (y: number) =>
      (
        await request(t.http)
          .get('/api/v1/reports/year')
          .query({ year: String(y), branch: code })
          .auth(admin, { type: 'bearer' })
          .expect(200)
      ).body.figures.applications as number;
    expect(await applications(last)).toBe(1);
    expect(await applications(year)).toBe(1);
  });

  it('should report every kind of problem by line and column, and write nothing with 422', async () => {
    const other = await factory.apply({ branchCode: otherCode });
    const future = todayInCopenhagen(new Date(Date.now() + 3 * 86_400_000))
      .split('-')
      .reverse()
      .join('-');
    const good = unique('good');
    const lines = [
      `Anna;Berg;${good};;;;;;;;;;;`,
      `Bo;Dahl;ikke-en-adresse;;;;;;;;;;;`,
      `Carl;Eng;${unique('carl')};;;;01-10-2026;måske;;;;;;`,
      `Dan;Fisk;${unique('dan')};;;${future};;;;;;;;`,
      `Eva;Gram;${unique('eva')};;;31-02-2026;;;;;;;;`,
      `Finn;Holm;${good};;;;;;;;;;;`,
      `Gitte;Iversen;${other.email};;;;;;;;;;;`,
      `Hans;Juhl;${unique('hans')};;;;;godkendt;;;;;;`,
      `Inge;Kjær;${unique('inge')};;;;;;;ren;;;;`,
      `;Lund;${unique('ukendt')};;;;;;;;;;;`,
      `Jens;Madsen;${unique('jens')};12;123;;;;;;;;;`,
      `Kim;Nør;${unique('kim')};;;10-09-2026;01-09-2026;godkendt;;;;;;`,
    ];
    const before = {
      volunteers: await count('volunteer'),
      audit: await count('audit_event'),
      visits: await count('home_visit'),
    };
    const res = await post(csv(lines), 'fejl.csv', { dryRun: 'false' }).expect(422);
    expect(res.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: expect.any(String),
    });
    const report = res.body.report as Report;
    // The report says what each good row would do; with any error row nothing is done.
    expect(report).toMatchObject({ created: 1, errorRows: 11 });
    const at = (line: number) =>
      report.rows
        .find((r) => r.row === line)!
        .problems.map((p) => `${p.column}: ${p.message.split(' / ')[0]}`);
    expect(report.rows.find((r) => r.row === 2)).toMatchObject({ action: 'create', problems: [] });
    expect(at(3)).toEqual(['E-mail: Ikke en gyldig e-mailadresse.']);
    expect(at(4)).toEqual(['Udfald: Udfald skal være godkendt, afslået eller opfølgning.']);
    expect(at(5)).toEqual(['Ansøgt: Datoen ligger i fremtiden.']);
    expect(at(6)).toEqual(['Ansøgt: Datoen findes ikke (f.eks. 31-02).']);
    expect(at(7)).toEqual(['E-mail: Adressen står også i linje 2.']);
    // Another branch's address: an error that does not say where.
    expect(at(8)).toEqual([
      'E-mail: Adressen bruges allerede af en frivillig i en anden afdeling.',
    ]);
    expect(JSON.stringify(report.rows.find((r) => r.row === 8))).not.toContain(otherCode);
    expect(at(9)).toEqual(['Udfald: Et udfald kræver datoen for hjemmebesøget.']);
    expect(at(10)).toEqual([
      'Børneattest resultat: Et resultat kræver datoen, børneattesten blev modtaget.',
    ]);
    expect(at(11)).toEqual(['Fornavn: Skal udfyldes.']);
    expect(at(12)).toEqual([
      'Telefon: Ikke et telefonnummer, f.eks. +45 12 34 56 78.',
      'Postnummer: Et postnummer har fire cifre.',
    ]);
    expect(at(13)).toEqual(['Hjemmebesøg: Datoen ligger før Ansøgt.']);
    expect({
      volunteers: await count('volunteer'),
      audit: await count('audit_event'),
      visits: await count('home_visit'),
    }).toEqual(before);
    expect(await volunteerByEmail(good)).toBeUndefined();
  });

  it('should refuse a file without a required column with a 400 on the file', async () => {
    const res = await post(Buffer.from('Fornavn;Efternavn\nA;B\n'), 'x.csv').expect(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'file', code: 'missingColumns' }),
    ]);
    expect(res.body.errors[0].message).toContain('E-mail');
  });

  it('should change nothing when the same file is imported twice', async () => {
    const email = unique('twice');
    const file = csv([
      `Lene;Nør;${email};+45 22 33 44 55;8000;01-09-2026;15-09-2026;godkendt;01-10-2026;anmærkninger;;Dansk;Weekend;En note`,
    ]);
    await post(file, 'to-gange.csv', { dryRun: 'false' }).expect(200);
    const snapshot = async () => ({
      volunteer: await volunteerByEmail(email),
      audit: await count('audit_event'),
      visits: await count('home_visit'),
      attestations: await count('attestation'),
      notes: await count('volunteer_note'),
    });
    const first = await snapshot();
    const again = await post(file, 'to-gange.csv', { dryRun: 'false' }).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 1, errorRows: 0 });
    const second = await snapshot();
    // One audit event more: the import itself ('import.completed'), none per row.
    expect({ ...second, audit: second.audit - 1 }).toEqual(first);
  });

  it('should update a volunteer of the branch only where the file has a value that differs', async () => {
    const applied = await factory.apply({ branchCode, phone: '+45 11 11 11 11', postcode: '8000' });
    const file = csv([`Maja;Sørensen;${applied.email};;9000;;;;;;01-03-2025;;;`]);
    const dry = await post(file, 'opdatering.csv').expect(200);
    expect(dry.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    await post(file, 'opdatering.csv', { dryRun: 'false' }).expect(200);
    const v = await volunteerByEmail(applied.email);
    // The phone left empty stays; the postcode changes; consent from the form stays.
    expect(v).toMatchObject({
      phone: '+45 11 11 11 11',
      postcode: '9000',
      consent_source: 'application',
    });
    const [event] = await t.db.query<{ details: Record<string, unknown> }[]>(
      `SELECT details FROM audit_event WHERE volunteer_id = $1 AND action = 'volunteer.import_updated'`,
      [applied.id],
    );
    expect(event.details).toEqual({
      file: 'opdatering.csv',
      line: 2,
      fields: 'postcode,priorCourse',
    });
    const again = await post(file, 'opdatering.csv').expect(200);
    expect(again.body).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('should name a contradicting certificate by the result column as the file writes it', async () => {
    const email = unique('attest');
    const header = HEADER.replace('Børneattest resultat', ' børneattest  RESULTAT ');
    const file = (result: string) =>
      Buffer.from(`${header}\r\nTove;Test;${email};;;;;;01-10-2026;${result};;;;\r\n`, 'utf8');
    await post(file('ren'), 'attest.csv', { dryRun: 'false' }).expect(200);
    const res = await post(file('anmærkninger'), 'attest.csv').expect(200);
    expect(res.body.rows).toEqual([
      expect.objectContaining({
        action: 'error',
        problems: [
          {
            column: 'børneattest  RESULTAT',
            message: expect.stringMatching(
              /^Klar har en børneattest fra samme dag med et andet resultat/,
            ),
          },
        ],
      }),
    ]);
  });

  it('should mail each new person their link only when asked to', async () => {
    const quiet = unique('quiet');
    const told = unique('told');
    await post(csv([`Ole;Post;${quiet};;;;;;;;;;;`]), 'a.csv', { dryRun: 'false' }).expect(200);
    await post(csv([`Pia;Post;${told};;;;;;;;;;;`]), 'b.csv', {
      dryRun: 'false',
      sendLinks: 'true',
    }).expect(200);
    await settle(t);
    expect(await mailsTo(t, quiet)).toEqual([]);
    expect(await mailsTo(t, told)).toEqual(['imported']);
    const mail = await t.mail.waitFor(told, () => true);
    const token = /http:\/\/klar\.test\/v\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect(token).toBeDefined();
    // The link opens the consent question first: they have not consented in Klar.
    await request(t.http).get(`/v/${token}`).expect(303).expect('location', `/v/${token}/samtykke`);
  });

  it('should keep a coordinator to their own branch and an oversized file out', async () => {
    await post(csv([`Q;R;${unique('q')};;;;;;;;;;;`]), 'x.csv', { branchCode: otherCode }).expect(
      404,
    );
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 'a');
    await post(big, 'big.csv').expect(413);
    const admin = await factory.admin();
    const res = await post(csv([`Q;R;${unique('q')};;;;;;;;;;;`]), 'x.csv', {}, admin).expect(400);
    expect(res.body.errors[0].field).toBe('branchCode');

    const closed = await factory.branch();
    await t.db.query('UPDATE branch SET active = false WHERE code = $1', [closed]);
    const inactive = await post(
      csv([`Q;R;${unique('q')};;;;;;;;;;;`]),
      'x.csv',
      { branchCode: closed },
      admin,
    ).expect(400);
    expect(inactive.body.errors).toEqual([
      expect.objectContaining({ field: 'branchCode', code: 'inactiveBranch' }),
    ]);
  });

  it('should upload, preview and confirm on the pages', async () => {
    const agent = await signedInAgent(t, coordinatorEmail, COORDINATOR_PASSWORD);
    const page = await agent.get('/staff/imports').expect(200);
    expect(page.text).toContain('/api/v1/imports/template?format=xlsx');
    const email = unique('page');
    const upload = await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(page.text))
      .attach('file', csv([`Rikke;Side;${email};;;;;;;;;;;`]), 'side.csv')
      .expect(303);
    const previewPath = upload.headers.location;
    expect(previewPath).toMatch(/^\/staff\/imports\/[0-9a-f-]{36}$/);
    const preview = await agent.get(previewPath).expect(200);
    expect(preview.text).toContain(email);
    expect(preview.text).toContain('Bekræft import');
    expect(await volunteerByEmail(email)).toBeUndefined();
    const confirm = await agent
      .post(previewPath)
      .type('form')
      .send({ _csrf: csrfIn(preview.text) })
      .expect(303);
    expect(confirm.headers.location).toBe('/staff/imports/done?created=1&updated=0&unchanged=0');
    const done = await agent.get(confirm.headers.location).expect(200);
    expect(done.text).toContain('href="/staff/volunteers"');
    const imported = await volunteerByEmail(email);
    expect(imported).toMatchObject({ consent_source: 'import' });
    // The record shows where the person came from.
    const record = await agent.get(`/staff/volunteers/${imported.id}`).expect(200);
    expect(record.text).toContain('Importeret fra regneark');
    expect(record.text).toContain('side.csv');
    // The kept file is gone once confirmed.
    await agent.get(previewPath).expect(404);
  });

  it('should purge kept files an hour old in the ten-minute run, and keep newer ones', async () => {
    const agent = await signedInAgent(t, coordinatorEmail, COORDINATOR_PASSWORD);
    const page = await agent.get('/staff/imports').expect(200);
    const upload = await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(page.text))
      .attach('file', csv([`Vera;Venter;${unique('vera')};;;;;;;;;;;`]), 'venter.csv')
      .expect(303);
    const fresh = upload.headers.location.split('/').pop()!;
    const [{ id: old }] = await t.db.query<{ id: string }[]>(
      `INSERT INTO import_upload (staff_user_id, branch_id, file_name, content, send_links, created_at)
       SELECT staff_user_id, branch_id, 'gammel.csv', content, false, now() - interval '61 minutes'
         FROM import_upload WHERE id = $1 RETURNING id`,
      [fresh],
    );
    const kept = async () =>
      (
        await t.db.query<{ id: string }[]>(
          'SELECT id FROM import_upload WHERE id = ANY($1::uuid[])',
          [[fresh, old]],
        )
      ).map((r) => r.id);
    expect((await kept()).sort()).toEqual([fresh, old].sort());
    // The next ten-minute slot's run (start-up ran this one), once across instances.
    const purge = t.app.get(StagedImportsPurge);
    const nextSlot = new Date(Date.now() + 10 * 60_000);
    expect(await purge.tick(nextSlot)).toBe('ran');
    expect(await purge.tick(nextSlot)).toBe('claimed-elsewhere');
    expect(await kept()).toEqual([fresh]);
    await agent.get(upload.headers.location).expect(200);
  });

  it('should show a refused upload on the form', async () => {
    const agent = await signedInAgent(t, coordinatorEmail, COORDINATOR_PASSWORD);
    const page = await agent.get('/staff/imports').expect(200);
    const res = await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(page.text))
      .attach('file', Buffer.from('Fornavn\nA\n'), 'x.csv')
      .expect(303);
    expect(res.headers.location).toBe('/staff/imports');
    const again = await agent.get('/staff/imports').expect(200);
    expect(again.text).toContain('Filen mangler kolonnen');

    const big = await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(again.text))
      .attach('file', Buffer.alloc(5 * 1024 * 1024 + 10, 'a'), 'stor.csv')
      .expect(303);
    expect(big.headers.location).toBe('/staff/imports');
    const afterBig = (await agent.get('/staff/imports').expect(200)).text;
    expect(afterBig).toContain('Filen må højst være 5 MB');

    // Another refusal of the upload (here a second file) is not "too large".
    const two = await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(afterBig))
      .attach('file', csv([`A;B;${unique('a')};;;;;;;;;;;`]), 'en.csv')
      .attach('file', csv([`A;B;${unique('b')};;;;;;;;;;;`]), 'to.csv')
      .expect(303);
    expect(two.headers.location).toBe('/staff/imports');
    const afterTwo = (await agent.get('/staff/imports').expect(200)).text;
    expect(afterTwo).toContain('Filen kunne ikke modtages');
    expect(afterTwo).not.toContain('Filen må højst være 5 MB');
  });

  it('should ask an administrator for the branch on the page', async () => {
    const agent = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
    const page = await agent.get('/staff/imports').expect(200);
    expect(page.text).toContain(`value="${branchCode}"`);
    await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(page.text))
      .attach('file', csv([`S;T;${unique('s')};;;;;;;;;;;`]), 'x.csv')
      .expect(303)
      .expect('location', '/staff/imports');
    expect((await agent.get('/staff/imports').expect(200)).text).toContain('Vælg en lokalafdeling');
    const chosen = await agent.get('/staff/imports').expect(200);
    const res = await agent
      .post('/staff/imports')
      .field('_csrf', csrfIn(chosen.text))
      .field('branchCode', branchCode)
      .attach('file', csv([`S;T;${unique('s')};;;;;;;;;;;`]), 'x.csv')
      .expect(303);
    expect(res.headers.location).toMatch(/^\/staff\/imports\/[0-9a-f-]{36}$/);
    // Another staff member cannot open someone's kept file.
    const other = await signedInAgent(t, coordinatorEmail, COORDINATOR_PASSWORD);
    await other.get(res.headers.location).expect(404);
  });
});
