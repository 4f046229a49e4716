import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from './app';
import { createCourse, Factory, fullCourseSessions } from './factories';
import { signedInAgent } from './pages';

type Agent = ReturnType<typeof request.agent>;
type Lang = 'da' | 'en';

/** A form as the page renders it: where it posts, and its fields with their defaults. */
interface PageFormFound {
  page: string;
  action: string;
  fields: { name: string; type: string; value: string; options: string[] }[];
}

/** What a rejected submission showed: by the field, in the summary, or on the error page. */
interface Shown {
  form: string;
  variant: string;
  lang: Lang;
  messages: string[];
  /** The fields the error summary links to, one per message. */
  links: string[];
}

const VIEWS = join(process.cwd(), 'views');

/**
 * The forms a person fills in: every POST form the views mark `novalidate` (the server
 * checks them), plus attendance, whose checkboxes are its fields. One-button forms
 * (cancel, withdraw, sign out) have no field to get a message about.
 */
const isFieldForm = (tag: string) => /novalidate/.test(tag) || /attendance"/.test(tag);

/** Every field form in the views, as a pattern of its action (`{{v.id}}` → any segment). */
function formsInViews(): { view: string; action: RegExp }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : e.name.endsWith('.hbs')
          ? [join(dir, e.name)]
          : [],
    );
  return walk(VIEWS).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/<form\b[^>]*method="post"[^>]*>/g)]
      .map((m) => m[0])
      .filter(isFieldForm)
      .map((tag) => {
        const action = /action="([^"]*)"/.exec(tag)?.[1] ?? '';
        const pattern = action
          .split(/\{\{[^}]*\}\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^"]+');
        return { view: relative(VIEWS, file), action: new RegExp(`^${pattern}$`) };
      }),
  );
}

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The field forms of a rendered page, with what a browser would send by default. */
function formsOn(page: string, html: string): PageFormFound[] {
  return [...html.matchAll(/(<form\b[^>]*method="post"[^>]*>)([\s\S]*?)<\/form>/g)]
    .filter((m) => isFieldForm(m[1]))
    .map((m) => {
      const action = decode(/action="([^"]*)"/.exec(m[1])?.[1] ?? '');
      const body = m[2];
      const attr = (tag: string, name: string) =>
        decode(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '');
      const fields: PageFormFound['fields'] = [];
      for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
        const type = attr(tag, 'type') || 'text';
        if (type === 'checkbox' || type === 'radio') {
          if (/\bchecked\b/.test(tag)) {
            fields.push({ name: attr(tag, 'name'), type, value: attr(tag, 'value'), options: [] });
          }
          continue;
        }
        fields.push({ name: attr(tag, 'name'), type, value: attr(tag, 'value'), options: [] });
      }
      for (const [tag, inner] of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
        fields.push({
          name: attr(tag, 'name'),
          type: 'textarea',
          value: decode(inner),
          options: [],
        });
      }
      for (const [, tag, inner] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
        const options = [...inner.matchAll(/<option\b[^>]*value="([^"]*)"/g)].map((o) =>
          decode(o[1]),
        );
        const selected = /<option\b[^>]*value="([^"]*)"[^>]*selected/.exec(inner)?.[1];
        fields.push({
          name: attr(tag, 'name'),
          type: 'select',
          value: selected !== undefined ? decode(selected) : (options[0] ?? ''),
          options,
        });
      }
      return { page, action, fields: fields.filter((f) => f.name !== '') };
    });
}

/** A value each kind of field must refuse (far too long, not a date, not an option). */
function badValue(field: PageFormFound['fields'][number]): string {
  switch (field.type) {
    case 'email':
      return 'ikke en adresse';
    case 'tel':
      return 'ring mig op';
    case 'number':
      return 'mange';
    case 'date':
      return '2026-02-30';
    case 'datetime-local':
      return '2027-13-45T99:99';
    case 'password':
      return 'kort';
    case 'select':
    case 'checkbox':
    case 'radio':
      return 'findes-ikke';
    case 'textarea':
      return 'x'.repeat(5001);
    default:
      // A line break and a direction control: wrong in every one-line field.
      return 'Linje\u202E\nto';
  }
}

/** The body a browser sends for a form: hidden fields as they are, the rest as asked. */
function bodyFor(form: PageFormFound, variant: 'empty' | 'bad', csrf: string): string {
  const params = new URLSearchParams();
  for (const field of form.fields) {
    if (field.name === '_csrf') {
      params.append('_csrf', csrf);
    } else if (field.type === 'hidden') {
      params.append(field.name, field.value);
    } else if (variant === 'bad') {
      params.append(field.name, badValue(field));
    } else if (field.type !== 'checkbox' && field.type !== 'radio') {
      params.append(field.name, '');
    }
  }
  return params.toString();
}

/** The messages of a rejected form on the page the redirect leads to (or the error page). */
function messagesIn(html: string): string[] {
  const byField = [...html.matchAll(/<p class="error"[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]);
  const summaries = [...html.matchAll(/<div class="error-summary"[\s\S]*?<\/div>/g)].flatMap((s) =>
    [...s[0].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]),
  );
  const errorPage = [...html.matchAll(/<div class="card" role="alert">([\s\S]*?)<\/div>/g)].map(
    (m) => m[1],
  );
  return [...byField, ...summaries, ...errorPage].map(decode).filter((m) => m !== '');
}

/** A DTO property or an internal code: camelCase or snake_case. */
const CODE_NAME = /\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+_[a-z_]+\b/;
/** What class-validator and our old DTO messages say, in any language. */
const VALIDATOR_PHRASE =
  /should not|than or equal to|must be one of|must be an? (UUID|array|string|boolean)|ISO 8601|property \w+|conforming to/i;
const ENGLISH_WORDS =
  /\b(the|must|should|be|is|not|enter|choose|please|characters|valid|and|of|with|cannot|field|required|number)\b/i;
const DANISH_WORDS =
  /[æøå]|\b(skal|ikke|vælg|skriv|og|eller|må|være|af|er|den|det|mindst|højst)\b/i;

/** What is wrong with a message on a page in `lang`, if anything. */
function problemWith(message: string, lang: Lang): string | null {
  if (CODE_NAME.test(message)) {
    return `names a code (${CODE_NAME.exec(message)?.[0]})`;
  }
  if (VALIDATOR_PHRASE.test(message)) {
    return 'is a validator phrase';
  }
  if (lang === 'da' && ENGLISH_WORDS.test(message)) {
    return `has an English word (${ENGLISH_WORDS.exec(message)?.[0]}) on a Danish page`;
  }
  if (lang === 'en' && DANISH_WORDS.test(message)) {
    return `has Danish (${DANISH_WORDS.exec(message)?.[0]}) on an English page`;
  }
  return null;
}

describe('messages in the reader’s language', () => {
  let t: TestApp;
  let factory: Factory;
  let branchCode: string;
  let staffPages: string[];
  let publicPages: string[];

  beforeAll(async () => {
    t = await createTestApp();
    factory = new Factory(t);
    branchCode = await factory.branch();
    const coordinator = await factory.coordinator(branchCode);
    const as = (path: string, body: object) =>
      request(t.http).post(path).auth(coordinator.token, { type: 'bearer' }).send(body);

    // A volunteer with a planned visit (the outcome form) and a seat on a course that
    // has begun (the attendance form).
    const volunteer = await factory.apply({ branchCode });
    // Only a volunteer without a planned visit or a seat shows those two forms.
    const newcomer = await factory.apply({ branchCode });
    const visit = await as(`/api/v1/volunteers/${volunteer.id}/home-visits`, {
      scheduledAt: new Date(Date.now() + 3 * 86400_000).toISOString(),
    }).expect(201);
    const course = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-1),
    });
    await as(`/api/v1/courses/${course.id}/bookings`, { volunteerId: volunteer.id }).expect(201);
    // Someone of another course of the branch, whom the attendance page offers as a make-up.
    const elsewhere = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(30),
    });
    const makeUp = await factory.apply({ branchCode });
    await as(`/api/v1/courses/${elsewhere.id}/bookings`, { volunteerId: makeUp.id }).expect(201);
    // A file material on the session page, whose new-version form is a field form too.
    await request(t.http)
      .post('/api/v1/materials')
      .auth(coordinator.token, { type: 'bearer' })
      .field('title', 'Slides')
      .field('sessionId', course.sessions[0].id)
      .attach('file', Buffer.from('%PDF-1.4\n'), 'slides.pdf')
      .expect(201);
    // Someone present at a course that has ended: the personal page asks for the evaluation.
    const ended = await createCourse(t, coordinator.token, {
      branchCode,
      sessions: fullCourseSessions(-10),
    });
    const evaluator = await factory.apply({ branchCode });
    await as(`/api/v1/courses/${ended.id}/bookings`, { volunteerId: evaluator.id }).expect(201);
    await request(t.http)
      .put(`/api/v1/sessions/${ended.sessions[0].id}/attendance`)
      .auth(coordinator.token, { type: 'bearer' })
      .send({ records: [{ volunteerId: evaluator.id, present: true }] })
      .expect(200);
    // An extra requirement, whose record card on the volunteer's page is a field form.
    await request(t.http)
      .post('/api/v1/requirements')
      .auth(await factory.admin(), { type: 'bearer' })
      .send({ key: 'confidentiality', nameDa: 'Tavshedserklæring', nameEn: 'Confidentiality' })
      .expect(201);
    const [{ id: coordinatorId }] = await t.db.query<{ id: string }[]>(
      'SELECT id FROM staff_user WHERE email = $1',
      [coordinator.email],
    );

    await request(t.http)
      .post('/api/v1/auth/password-reset')
      .send({ email: coordinator.email })
      .expect(202);
    // The coordinator is also told of the new applications: wait for the reset mail.
    const mail = await t.mail.waitFor(coordinator.email, (m) =>
      (m.text ?? '').includes('/nulstil-adgangskode/'),
    );
    const resetPath = /http:\/\/klar\.test(\/nulstil-adgangskode\/[A-Za-z0-9_-]+)/.exec(
      mail.text ?? '',
    )?.[1];
    if (!resetPath) {
      throw new Error('No reset link in the mail');
    }

    publicPages = [
      '/ansog',
      '/login',
      '/glemt-adgangskode',
      '/v',
      resetPath,
      `/v/${evaluator.portalToken}`,
    ];
    staffPages = [
      `/staff/volunteers/${volunteer.id}`,
      `/staff/volunteers/${newcomer.id}`,
      '/staff/courses/new',
      `/staff/courses/${course.id}`,
      `/staff/sessions/${course.sessions[0].id}`,
      '/staff/curriculum',
      '/staff/requirements',
      '/staff/materials',
      '/staff/branches',
      `/staff/branches/${branchCode}`,
      '/staff/users',
      `/staff/users/${coordinatorId}`,
      '/staff/account',
      '/staff/imports',
      `/staff/courses/${course.id}/attendance`,
      // The closing pages ask for a reason from their list, so neither submission closes.
      `/staff/volunteers/${volunteer.id}/withdraw`,
      `/staff/volunteers/${volunteer.id}/home-visits/${(visit.body as { id: string }).id}/decline`,
      // Erasure asks for a checkbox and the name typed: neither variant erases.
      `/staff/volunteers/${volunteer.id}/erase`,
    ];
  });

  afterAll(async () => {
    await t.close();
  });

  async function inLanguage(agent: Agent, lang: Lang): Promise<void> {
    await agent.get(`/lang?lang=${lang}&next=/`).expect(303);
  }

  /** Submits every field form of `pages` empty and with bad values; what each showed. */
  async function submitAll(agent: Agent, pages: string[], lang: Lang) {
    const shown: Shown[] = [];
    const actions: string[] = [];
    for (const page of pages) {
      const first = await agent.get(page).expect(200);
      expect(first.text).toContain(`<html lang="${lang}">`);
      for (const [index] of formsOn(page, first.text).entries()) {
        for (const variant of ['empty', 'bad'] as const) {
          // A fresh page each time: the token, and the form as it is now.
          const html = (await agent.get(page).expect(200)).text;
          const form = formsOn(page, html)[index];
          const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
          actions.push(form.action);
          const res = await agent
            .post(form.action)
            .type('form')
            .send(bodyFor(form, variant, csrf));
          const after =
            res.status === 303 ? (await agent.get(res.headers.location)).text : res.text;
          shown.push({
            form: `${page} → ${form.action}`,
            variant,
            lang,
            messages: res.status === 303 || res.status >= 400 ? messagesIn(after) : [],
            links: [...after.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]),
          });
        }
      }
    }
    return { shown, actions };
  }

  it.each(['da', 'en'] as const)(
    'should answer every form, empty and with bad values, in %s, naming no code',
    async (lang) => {
      const visitor = request.agent(t.http);
      await inLanguage(visitor, lang);
      const publicRun = await submitAll(visitor, publicPages, lang);
      const staff = await signedInAgent(t, ADMIN_EMAIL, ADMIN_PASSWORD);
      await inLanguage(staff, lang);
      const staffRun = await submitAll(staff, staffPages, lang);
      const shown = [...publicRun.shown, ...staffRun.shown];

      const wrong = shown.flatMap((s) =>
        s.messages
          .map((m) => ({ m, problem: problemWith(m, lang) }))
          .filter((x) => x.problem !== null)
          .map((x) => `${s.form} (${s.variant}): "${x.m}" ${x.problem}`),
      );
      expect(wrong).toEqual([]);
      // One problem, one message: the summary names no field twice.
      const twice = shown.flatMap((s) =>
        s.links.filter((l, i) => s.links.indexOf(l) !== i).map((l) => `${s.form}: ${l}`),
      );
      expect(twice).toEqual([]);
      // Each form refused at least one of its two submissions with a message, but for
      // attendance: its boxes are ticked or not, and neither can be wrong.
      const silent = [...new Set(shown.map((s) => s.form))].filter(
        (form) =>
          !form.endsWith('/attendance') &&
          !shown.some((s) => s.form === form && s.messages.length > 0),
      );
      expect(silent).toEqual([]);
      // Every field form in the views was found on the pages above; a new one fails
      // here until its page is added to publicPages or staffPages.
      const actions = [...publicRun.actions, ...staffRun.actions];
      const notReached = formsInViews()
        .filter((f) => !actions.some((a) => f.action.test(a)))
        .map((f) => `${f.view}: ${f.action.source}`);
      expect(notReached).toEqual([]);
    },
  );

  it('should give a bad postcode one message, not also one on the branch left to be found from it', async () => {
    const visitor = request.agent(t.http);
    const html = (await visitor.get('/ansog').expect(200)).text;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await visitor
      .post('/ansog')
      .type('form')
      .send(
        new URLSearchParams({
          _csrf: csrf,
          firstName: 'Maja',
          lastName: 'Holm',
          email: 'maja.holm@example.org',
          phone: '+45 12 34 56 78',
          postcode: '12',
          branchCode: '',
          motivation: 'Jeg vil gerne hjælpe.',
          consent: 'on',
        }).toString(),
      )
      .expect(303);
    const after = (await visitor.get(res.headers.location).expect(200)).text;
    expect(messagesIn(after.replace(/<div class="error-summary"[\s\S]*?<\/div>/, ''))).toEqual([
      'Postnummeret skal være fire cifre',
    ]);
    expect(after).not.toContain('id="f-apply-branchCode-error"');
  });

  it('should return field and code beside the message in the API, in the client’s language', async () => {
    const english = await request(t.http).post('/api/v1/applications').send({}).expect(400);
    const danish = await request(t.http)
      .post('/api/v1/applications')
      .set('Accept-Language', 'da, en;q=0.5')
      .send({ postcode: '12' })
      .expect(400);
    for (const res of [english, danish]) {
      expect(res.body.errors.length).toBeGreaterThan(3);
      for (const error of res.body.errors as { field: string; code: string; message: string }[]) {
        expect(error).toEqual({
          field: expect.any(String),
          code: expect.any(String),
          message: expect.any(String),
        });
        expect(CODE_NAME.test(error.message) ? error : null).toBeNull();
      }
    }
    expect(english.body.errors).toContainEqual({
      field: 'firstName',
      code: 'required',
      message: 'Enter your first name',
    });
    expect(danish.body.errors).toContainEqual({
      field: 'postcode',
      code: 'invalidFormat',
      message: 'Postnummeret skal være fire cifre',
    });
    // One problem per field, in the API too.
    const fields = (danish.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual([...new Set(fields)]);
  });
});
