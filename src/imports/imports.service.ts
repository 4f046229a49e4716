import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager, In } from 'typeorm';
import { Attestation } from '../attestations/attestation.entity';
import { type AuditEntry, AuditService } from '../audit/audit.service';
import { Branch } from '../branches/branch.entity';
import type { Actor } from '../common/auth/actor';
import { TIME_ZONE, todayInCopenhagen } from '../common/dates';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { CurriculumRepository } from '../courses/curriculum.repository';
import { PriorCourseCompletion } from '../courses/prior-course-completion.entity';
import { UnitOfWork } from '../database/unit-of-work';
import { HomeVisit } from '../home-visits/home-visit.entity';
import { EmailNotifications } from '../notifications/email-notifications';
import { PortalLinks } from '../portal/portal-links';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import { VolunteerNote } from '../volunteers/volunteer-note.entity';
import { VolunteersService } from '../volunteers/volunteers.service';
import {
  appliedDayOf,
  type ImportValues,
  type ParsedRow,
  parseRows,
  type Problem,
  readTable,
  UnreadableFileError,
} from './parse';

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportReportRow {
  row: number;
  email: string;
  action: ImportAction;
  problems: Problem[];
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errorRows: number;
  rows: ImportReportRow[];
}

export interface ImportInput {
  branchCode?: string;
  fileName: string;
  bytes: Buffer;
  dryRun: boolean;
  sendLinks: boolean;
}

/** Not a dry run, and a row has problems: nothing was written; the report says why (422). */
export class ImportRejectedError extends Error {
  constructor(readonly report: ImportReport) {
    super(
      `Importen er ikke gennemført: ${report.errorRows} række(r) har fejl. / The import was not carried out: ${report.errorRows} row(s) have problems.`,
    );
  }
}

/** An uploaded file waiting for its confirmation on the import pages. */
export interface StagedImport {
  id: string;
  branchId: string;
  branchCode: string;
  branchName: string;
  fileName: string;
  sendLinks: boolean;
}

/** How long the pages keep an uploaded file for its confirmation. */
export const STAGED_IMPORT_MINUTES = 60;

/** What an existing volunteer (same branch, same address) has that the file may add to. */
interface Existing {
  volunteer: Volunteer;
  visits: HomeVisit[];
  attestations: Attestation[];
  prior: PriorCourseCompletion | null;
  notes: string[];
}

/** The change a valid row makes: a new person, or what differs on an existing one. */
type Plan =
  | { kind: 'create'; values: ImportValues }
  | { kind: 'update'; values: ImportValues; existing: Existing; changes: Changes }
  | { kind: 'unchanged' }
  | { kind: 'error' };

interface Changes {
  fields: Partial<
    Pick<Volunteer, 'firstName' | 'lastName' | 'phone' | 'postcode' | 'languages' | 'availability'>
  >;
  visit: boolean;
  attestation: boolean;
  prior: 'add' | 'change' | null;
  note: boolean;
}

const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/** A day of the file as an instant: noon in Copenhagen, so it reads as that day everywhere. */
export function noonOf(day: string): Date {
  return DateTime.fromISO(day, { zone: TIME_ZONE }).set({ hour: 12 }).toJSDate();
}

function activeOnly(branch: Branch): Branch {
  if (!branch.active) {
    throw new InvalidInputError([
      {
        field: 'branchCode',
        code: 'inactiveBranch',
        message:
          'Lokalafdelingen er deaktiveret og kan ikke importere. / The branch is deactivated and cannot import.',
      },
    ]);
  }
  return branch;
}

/** When a new person applied: noon on the file's day for it (appliedDayOf), else `now`. */
function appliedOn(values: ImportValues, now: Date): Date {
  const day = appliedDayOf(values);
  return day ? noonOf(day) : now;
}

/**
 * A branch's spreadsheet imported (issue 15): every row checked and planned (create,
 * update where the file has a value that differs, unchanged), then, unless it is a dry
 * run, written in one transaction with readiness derived and an audit event per row.
 * The API and the pages call the same methods.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly readiness: ReadinessService,
    private readonly volunteers: VolunteersService,
    private readonly audit: AuditService,
    private readonly mail: EmailNotifications,
    private readonly portalLinks: PortalLinks,
    private readonly curriculum: CurriculumRepository,
  ) {}

  /**
   * The branch imported into: any for an admin (required), a coordinator's own (another
   * is 404); an inactive one takes no applications, so no import either (400 on branchCode).
   */
  async branchFor(actor: Actor, code: string | undefined, em = this.db.manager): Promise<Branch> {
    const repo = em.getRepository(Branch);
    if (actor.role !== 'admin') {
      const own = await repo.findOneByOrFail({ id: actor.branchId! });
      if (code !== undefined && code !== '' && code !== own.code) {
        throw new NotFoundError('Branch');
      }
      return activeOnly(own);
    }
    if (code === undefined || code === '') {
      throw new InvalidInputError([
        {
          field: 'branchCode',
          code: 'required',
          message: 'Vælg lokalafdelingen. / Choose the branch.',
        },
      ]);
    }
    const branch = await repo.findOneBy({ code });
    if (!branch) {
      throw new NotFoundError('Branch');
    }
    return activeOnly(branch);
  }

  /**
   * Checks and plans the file; without dry run writes it all in one transaction, or
   * nothing when any row has a problem (ImportRejectedError, with the report).
   */
  async run(actor: Actor, input: ImportInput): Promise<ImportReport> {
    const branch = await this.branchFor(actor, input.branchCode);
    const rows = await this.read(input.bytes);
    if (input.dryRun) {
      return (await this.plan(this.db.manager, branch, rows)).report;
    }
    return this.uow.run(async (em) => {
      // One import per branch at a time: the second plans against what the first wrote.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('import'), hashtext($1))`, [branch.id]);
      const { report, plans } = await this.plan(em, branch, rows, true);
      if (report.errorRows > 0) {
        throw new ImportRejectedError(report);
      }
      const now = new Date();
      await this.write(em, actor, branch, rows, plans, input, now);
      await this.audit.record(em, actor, {
        action: 'import.completed',
        branchId: branch.id,
        details: {
          file: input.fileName,
          created: report.created,
          updated: report.updated,
          unchanged: report.unchanged,
          sendLinks: input.sendLinks,
        },
      });
      return report;
    });
  }

  /** The file as rows; a file that is no table, or lacks a required column, is a 400 on `file`. */
  private async read(bytes: Buffer): Promise<ParsedRow[]> {
    try {
      return parseRows(await readTable(bytes), todayInCopenhagen());
    } catch (error) {
      if (error instanceof UnreadableFileError) {
        throw new InvalidInputError([{ field: 'file', code: error.code, message: error.message }]);
      }
      throw error;
    }
  }

  private async plan(
    em: EntityManager,
    branch: Branch,
    rows: ParsedRow[],
    lock = false,
  ): Promise<{ report: ImportReport; plans: Plan[] }> {
    const emails = [...new Set(rows.map((r) => r.email).filter((e) => e !== ''))];
    const found =
      emails.length === 0
        ? []
        : await em.query<{ id: string; branch_id: string; status: string; email: string }[]>(
            `SELECT id, branch_id, status, lower(email) AS email FROM volunteer
              WHERE lower(email) = ANY($1::text[]) AND erased_at IS NULL
              ORDER BY (status = 'active') DESC, created_at DESC`,
            [emails],
          );
    const ownIds = new Map<string, string>();
    const elsewhere = new Set<string>();
    for (const v of found) {
      if (v.branch_id === branch.id) {
        if (!ownIds.has(v.email)) {
          ownIds.set(v.email, v.id);
        }
      } else {
        elsewhere.add(v.email);
      }
    }
    const existing = await this.loadExisting(em, [...ownIds.values()], lock);
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errorRows: 0, rows: [] };
    const plans: Plan[] = [];
    for (const row of rows) {
      const problems = [...row.problems];
      const ownId = ownIds.get(row.email);
      if (!ownId && elsewhere.has(row.email)) {
        problems.push({
          column: row.headers.email,
          message:
            'Adressen bruges allerede af en frivillig i en anden afdeling. / The address is already used by a volunteer of another branch.',
        });
      }
      let plan: Plan = { kind: 'error' };
      if (problems.length === 0 && row.values) {
        if (!ownId) {
          plan = { kind: 'create', values: row.values };
        } else {
          const current = existing.get(ownId)!;
          const changes = changesOf(current, row, problems);
          if (problems.length > 0) {
            plan = { kind: 'error' };
          } else if (changes) {
            plan = { kind: 'update', values: row.values, existing: current, changes };
          } else {
            plan = { kind: 'unchanged' };
          }
        }
      }
      const action: ImportAction = plan.kind;
      report.rows.push({ row: row.line, email: row.email, action, problems });
      plans.push(plan);
      if (action === 'create') {
        report.created += 1;
      } else if (action === 'update') {
        report.updated += 1;
      } else if (action === 'unchanged') {
        report.unchanged += 1;
      } else {
        report.errorRows += 1;
      }
    }
    return { report, plans };
  }

  /** The branch's own volunteers the file names, with what the file may add to. */
  private async loadExisting(
    em: EntityManager,
    ids: string[],
    lock: boolean,
  ): Promise<Map<string, Existing>> {
    const result = new Map<string, Existing>();
    if (ids.length === 0) {
      return result;
    }
    const volunteers = await em.find(Volunteer, {
      where: { id: In(ids) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const visits = await em.find(HomeVisit, { where: { volunteerId: In(ids) } });
    const attestations = await em.find(Attestation, { where: { volunteerId: In(ids) } });
    const priors = await em.find(PriorCourseCompletion, { where: { volunteerId: In(ids) } });
    const notes = await em.find(VolunteerNote, { where: { volunteerId: In(ids) } });
    for (const volunteer of volunteers) {
      const id = volunteer.id;
      result.set(id, {
        volunteer,
        visits: visits.filter((v) => v.volunteerId === id && v.cancelledAt === null),
        attestations: attestations.filter((a) => a.volunteerId === id),
        prior: priors.find((p) => p.volunteerId === id) ?? null,
        notes: notes.filter((n) => n.volunteerId === id).map((n) => n.text),
      });
    }
    return result;
  }

  /**
   * Writes the planned rows: the new people, then the records of every row, each kind
   * in a few multi-row inserts (1,000 rows in seconds, not minutes); then, person by
   * person, the closing of a declined visit or the readiness derived, the audit event
   * and, when asked, the personal link.
   */
  private async write(
    em: EntityManager,
    actor: Actor,
    branch: Branch,
    rows: ParsedRow[],
    plans: Plan[],
    input: ImportInput,
    now: Date,
  ): Promise<void> {
    const work: { row: ParsedRow; plan: Plan & { kind: 'create' | 'update' }; changes: Changes }[] =
      [];
    rows.forEach((row, i) => {
      const plan = plans[i];
      if (plan.kind === 'create') {
        const { values } = plan;
        work.push({
          row,
          plan,
          changes: {
            fields: {},
            visit: values.visit !== undefined,
            attestation: values.attestation !== undefined,
            prior: values.courseCompletedOn ? 'add' : null,
            note: values.notes !== undefined,
          },
        });
      } else if (plan.kind === 'update') {
        work.push({ row, plan, changes: plan.changes });
      }
    });

    const created = work.filter((w) => w.plan.kind === 'create');
    const newPeople = created.map(({ plan: { values } }) =>
      em.create(Volunteer, {
        branchId: branch.id,
        firstName: values.firstName,
        lastName: values.lastName,
        email: values.email,
        phone: values.phone ?? '',
        postcode: values.postcode ?? '',
        motivation: '',
        experience: null,
        availability: values.availability ?? [],
        languages: values.languages ?? [],
        locale: 'da',
        // They consent on their personal page (the privacy notice comes first there).
        consentAt: null,
        consentTextVersion: null,
        consentSource: 'import',
        status: 'active',
        stage: 'applied',
        matchableSince: null,
        matchableUntil: null,
        closedAt: null,
        createdAt: appliedOn(values, now),
      }),
    );
    await insertInChunks(em, Volunteer, newPeople);
    const volunteers = new Map<ParsedRow, Volunteer>();
    created.forEach((w, i) => volunteers.set(w.row, newPeople[i]));
    for (const w of work) {
      if (w.plan.kind === 'update') {
        const volunteer = w.plan.existing.volunteer;
        if (Object.keys(w.changes.fields).length > 0) {
          await em.update(Volunteer, { id: volunteer.id }, w.changes.fields);
          Object.assign(volunteer, w.changes.fields);
        }
        volunteers.set(w.row, volunteer);
      }
    }

    const attestations: Partial<Attestation>[] = [];
    const priors: Partial<PriorCourseCompletion>[] = [];
    const notes: Partial<VolunteerNote>[] = [];
    const visits: Partial<HomeVisit>[] = [];
    for (const { row, plan, changes } of work) {
      const { values } = plan;
      const volunteerId = volunteers.get(row)!.id;
      if (changes.attestation && values.attestation) {
        attestations.push({
          volunteerId,
          requestedOn: null,
          receivedOn: values.attestation.receivedOn,
          result: values.attestation.result,
          verifiedBy: actor.id,
        });
      }
      if (changes.prior === 'add') {
        priors.push({ volunteerId, completedOn: values.courseCompletedOn!, hours: null });
      } else if (changes.prior === 'change') {
        await em.update(
          PriorCourseCompletion,
          { volunteerId },
          { completedOn: values.courseCompletedOn!, recordedAt: now },
        );
      }
      if (changes.note && values.notes) {
        notes.push({ volunteerId, authorId: actor.id, text: values.notes, topic: null });
      }
      if (changes.visit && values.visit) {
        const held = noonOf(values.visit.on);
        visits.push({
          volunteerId,
          scheduledAt: held,
          heldAt: held,
          outcome: values.visit.outcome,
          outcomeAt: held,
          outcomeBy: actor.id,
          createdBy: actor.id,
          createdAt: held,
          notes: null,
        });
      }
    }
    await insertInChunks(em, Attestation, attestations);
    await insertInChunks(em, PriorCourseCompletion, priors);
    await insertInChunks(em, VolunteerNote, notes);
    await insertInChunks(em, HomeVisit, visits);

    const events: AuditEntry[] = [];
    // The same for everyone in this transaction: read once, not once per person.
    const curriculum = await this.curriculum.get(em);
    for (const { row, plan, changes } of work) {
      const { values } = plan;
      const volunteer = volunteers.get(row)!;
      if (changes.visit && values.visit?.outcome === 'declined' && volunteer.status === 'active') {
        // As a declined visit does (HomeVisitsService): the application closes, on the visit's day.
        await this.volunteers.close(
          em,
          volunteer,
          'declined',
          { reason: null, note: null, by: actor.id },
          noonOf(values.visit.on),
        );
      } else {
        await this.readiness.refresh(em, volunteer, now, { notify: false, curriculum });
      }
      const fields = [
        ...Object.keys(changes.fields),
        ...(changes.visit ? ['homeVisit'] : []),
        ...(changes.attestation ? ['attestation'] : []),
        ...(changes.prior ? ['priorCourse'] : []),
        ...(changes.note ? ['note'] : []),
      ];
      events.push({
        action: plan.kind === 'create' ? 'volunteer.imported' : 'volunteer.import_updated',
        branchId: branch.id,
        volunteerId: volunteer.id,
        details: {
          file: input.fileName,
          line: row.line,
          ...(plan.kind === 'update' ? { fields: fields.join(',') } : {}),
        },
      });
      if (plan.kind === 'create' && input.sendLinks && volunteer.status === 'active') {
        const portalToken = await this.portalLinks.mint(em, volunteer.id);
        await this.mail.imported(em, { volunteerId: volunteer.id, portalToken });
      }
    }
    await this.audit.recordMany(em, actor, events);
  }

  /** Keeps an uploaded file for the preview page's confirmation; older ones go. */
  async stage(
    actor: Actor,
    input: { branchCode?: string; fileName: string; bytes: Buffer; sendLinks: boolean },
  ): Promise<{ id: string; report: ImportReport }> {
    const branch = await this.branchFor(actor, input.branchCode);
    const report = await this.run(actor, { ...input, branchCode: branch.code, dryRun: true });
    const [{ id }] = await this.db.query<{ id: string }[]>(
      `WITH old AS (
         DELETE FROM import_upload WHERE created_at < now() - $6::int * interval '1 minute')
       INSERT INTO import_upload (staff_user_id, branch_id, file_name, content, send_links)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [actor.id, branch.id, input.fileName, input.bytes, input.sendLinks, STAGED_IMPORT_MINUTES],
    );
    return { id, report };
  }

  /**
   * Staged files past their hour go (they hold names and addresses): run every ten
   * minutes by StagedImportsPurge, besides each upload; returns how many went.
   */
  async purgeStaged(): Promise<number> {
    const gone = await this.db.query<{ id: string }[]>(
      `DELETE FROM import_upload WHERE created_at < now() - $1::int * interval '1 minute' RETURNING id`,
      [STAGED_IMPORT_MINUTES],
    );
    return gone.length;
  }

  /** A staged file of this staff member, still in time; anyone else's is "not found". */
  async staged(actor: Actor, id: string): Promise<StagedImport & { bytes: Buffer }> {
    const [row] = await this.db.query<
      {
        id: string;
        branch_id: string;
        code: string;
        name: string;
        file_name: string;
        content: Buffer;
        send_links: boolean;
      }[]
    >(
      `SELECT u.id, u.branch_id, b.code, b.name, u.file_name, u.content, u.send_links
         FROM import_upload u JOIN branch b ON b.id = u.branch_id
        WHERE u.id = $1 AND u.staff_user_id = $2
          AND u.created_at >= now() - $3::int * interval '1 minute'`,
      [id, actor.id, STAGED_IMPORT_MINUTES],
    );
    if (!row) {
      throw new NotFoundError('Import');
    }
    return {
      id: row.id,
      branchId: row.branch_id,
      branchCode: row.code,
      branchName: row.name,
      fileName: row.file_name,
      sendLinks: row.send_links,
      bytes: Buffer.from(row.content),
    };
  }

  /** The preview again (the records may have moved since the upload). */
  async preview(actor: Actor, id: string) {
    const staged = await this.staged(actor, id);
    const report = await this.run(actor, {
      branchCode: staged.branchCode,
      fileName: staged.fileName,
      bytes: staged.bytes,
      dryRun: true,
      sendLinks: staged.sendLinks,
    });
    return { staged, report };
  }

  /** "Bekræft import": the staged file written; the staged copy then goes. */
  async confirm(actor: Actor, id: string): Promise<ImportReport> {
    const staged = await this.staged(actor, id);
    const report = await this.run(actor, {
      branchCode: staged.branchCode,
      fileName: staged.fileName,
      bytes: staged.bytes,
      dryRun: false,
      sendLinks: staged.sendLinks,
    });
    await this.db.query('DELETE FROM import_upload WHERE id = $1', [id]);
    return report;
  }
}

/** Rows of one entity in multi-row INSERTs of at most 500 (PostgreSQL's bind limit is 65,535). */
async function insertInChunks<T extends object>(
  em: EntityManager,
  entity: new () => T,
  rows: Partial<T>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    // insert() writes the generated id (and defaults) back onto each row object.
    await em.insert(entity, rows.slice(i, i + 500) as never);
  }
}

/**
 * What a row changes on a volunteer of the branch: only values the file has, only where
 * they differ; null when nothing does. A record Klar already holds otherwise (another
 * visit outcome, a certificate of that day with another result) is a problem of the row.
 */
function changesOf(current: Existing, row: ParsedRow, problems: Problem[]): Changes | null {
  const values = row.values!;
  const v = current.volunteer;
  const fields: Changes['fields'] = {};
  for (const key of ['firstName', 'lastName', 'phone', 'postcode'] as const) {
    const value = values[key];
    if (value !== undefined && value !== v[key]) {
      fields[key] = value;
    }
  }
  for (const key of ['languages', 'availability'] as const) {
    const value = values[key];
    if (value !== undefined && !sameSet(value, v[key])) {
      fields[key] = value;
    }
  }
  let visit = false;
  if (values.visit) {
    const settled = current.visits.filter((h) => h.outcome !== null);
    const same = settled.some(
      (h) =>
        h.outcome === values.visit!.outcome &&
        h.heldAt !== null &&
        todayInCopenhagen(h.heldAt) === values.visit!.on,
    );
    if (!same) {
      if (settled.length > 0 || current.visits.some((h) => h.outcome === null)) {
        problems.push({
          column: row.headers.visitOn,
          message:
            'Klar har allerede et andet hjemmebesøg for personen; ret det på personens side. / Klar already holds another home visit for the person; change it on their record.',
        });
      } else {
        visit = true;
      }
    }
  }
  let attestation = false;
  if (values.attestation) {
    const sameDay = current.attestations.filter(
      (a) => a.receivedOn === values.attestation!.receivedOn,
    );
    if (sameDay.length === 0) {
      attestation = true;
    } else if (!sameDay.some((a) => a.result === values.attestation!.result)) {
      problems.push({
        column: row.headers.attestationResult,
        message:
          'Klar har en børneattest fra samme dag med et andet resultat. / Klar holds a certificate of the same day with another result.',
      });
    }
  }
  let prior: Changes['prior'] = null;
  if (values.courseCompletedOn) {
    if (!current.prior) {
      prior = 'add';
    } else if (current.prior.completedOn !== values.courseCompletedOn) {
      prior = 'change';
    }
  }
  const note = values.notes !== undefined && !current.notes.includes(values.notes);
  const adds = visit || attestation || prior !== null || note;
  if (v.status !== 'active' && (visit || attestation || prior !== null)) {
    problems.push({
      column: '',
      message:
        'Personens ansøgning er afsluttet i Klar; genåbn den først. / The person’s application is closed in Klar; reactivate it first.',
    });
  }
  return Object.keys(fields).length > 0 || adds
    ? { fields, visit, attestation, prior, note }
    : null;
}
