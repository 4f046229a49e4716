import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { once } from 'node:events';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { type Actor, branchScopeOf } from '../common/auth/actor';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors';
import { UnitOfWork } from '../database/unit-of-work';
import { ReadinessService } from '../readiness/readiness.service';
import { Volunteer } from '../volunteers/volunteer.entity';
import type { CreateMaterialDto, MaterialsQuery, UpdateMaterialDto } from './dto/material.dto';
import { chunksOf, contentDisposition, materialTypeOf } from './material-files';
import { SIGNED_LINK_SECONDS, signDownload, validDownloadSignature } from './material-signing';

/** An uploaded file as multer hands it over (memory storage, at most 20 MB). */
export interface Upload {
  originalname: string;
  buffer: Buffer;
  size: number;
}

interface MaterialRow {
  id: string;
  title: string;
  topic_code: string | null;
  session_id: string | null;
  url: string | null;
  requires_confirmation: boolean;
  version: number;
  branch_id: string | null;
  version_id: string | null;
  content_type: string | null;
  size: number | null;
  file_name: string | null;
  chunks: number | null;
}

export interface MaterialView {
  id: string;
  title: string;
  topic: string | null;
  sessionId: string | null;
  contentType: string | null;
  size: number | null;
  url: string | null;
  version: number;
  requiresConfirmation: boolean;
}

export interface OwnMaterialView {
  id: string;
  title: string;
  topic: string | null;
  sessionId: string | null;
  downloadUrl: string;
  requiresConfirmation: boolean;
  confirmedAt: Date | null;
  version: number;
  isLink: boolean;
}

export interface OwnCourseMaterials {
  id: string;
  title: string;
  sessions: {
    id: string;
    startsAt: Date;
    location: string;
    topics: string[];
    materials: OwnMaterialView[];
  }[];
}

/** A material with its current version (the file, if it is one) and the session's branch. */
const SELECT_MATERIAL = `
  SELECT m.id, m.title, m.topic_code, m.session_id, m.url, m.requires_confirmation, m.version,
         c.branch_id, v.id AS version_id, v.content_type, v.size, v.file_name, v.chunks
    FROM material m
    LEFT JOIN course_session s ON s.id = m.session_id
    LEFT JOIN course c ON c.id = s.course_id
    LEFT JOIN material_version v ON v.material_id = m.id AND v.version = m.version`;

/**
 * The sessions a volunteer sees materials for: those of courses they hold a booked seat
 * on (not the waitlist: a waitlisted volunteer may never take part), neither the course
 * nor the session cancelled.
 */
const OWN_SESSIONS = `
  SELECT s.id FROM booking b
    JOIN course c ON c.id = b.course_id AND c.cancelled_at IS NULL
    JOIN course_session s ON s.course_id = c.id AND s.cancelled_at IS NULL
   WHERE b.volunteer_id = $1 AND b.status = 'booked'`;

/**
 * The volunteer's materials: their sessions', those sessions' topics', and every topic
 * material an extra requirement asks everyone to read and confirm (src/requirements),
 * booked on a course or not.
 */
const OWN_MATERIALS = `
  WITH own AS (${OWN_SESSIONS})
  ${SELECT_MATERIAL}
   WHERE m.session_id IN (SELECT id FROM own)
      OR m.topic_code IN (SELECT topic_code FROM course_session_topic WHERE session_id IN (SELECT id FROM own))
      OR m.id IN (SELECT material_id FROM requirement)`;

const toView = (m: MaterialRow): MaterialView => ({
  id: m.id,
  title: m.title,
  topic: m.topic_code,
  sessionId: m.session_id,
  contentType: m.content_type,
  size: m.size,
  url: m.url,
  version: m.version,
  requiresConfirmation: m.requires_confirmation,
});

/**
 * Materials: national ones on a curriculum topic (administrators) and a branch's on a
 * session (its coordinators and administrators), files kept in the database in chunks,
 * and the volunteer's reading confirmations, each of one version.
 */
@Injectable()
export class MaterialsService {
  private secret?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessService,
  ) {}

  async create(actor: Actor, dto: CreateMaterialDto, file?: Upload): Promise<MaterialView> {
    const problems = [];
    if (!dto.topic === !dto.sessionId) {
      problems.push({
        field: dto.topic ? 'sessionId' : 'topic',
        code: dto.topic ? 'oneOf' : 'required',
        message: 'Vælg enten et emne eller en kursusgang. / Choose either a topic or a session.',
      });
    }
    if (!file === !dto.url) {
      problems.push({
        field: 'file',
        code: file ? 'oneOf' : 'required',
        message:
          'Vælg en fil eller skriv et link (ikke begge). / Choose a file or enter a link (not both).',
      });
    }
    if (problems.length > 0) {
      throw new InvalidInputError(problems);
    }
    const contentType = file ? await this.typeOf(file) : null;
    return this.uow.run(async (em) => {
      const branchId = await this.placeBranch(em, actor, dto);
      const [{ id }] = await em.query<{ id: string }[]>(
        `INSERT INTO material (title, topic_code, session_id, url, requires_confirmation)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [
          dto.title,
          dto.topic ?? null,
          dto.sessionId ?? null,
          dto.url ?? null,
          dto.requiresConfirmation ?? false,
        ],
      );
      if (file && contentType) {
        await this.storeVersion(em, id, 1, file, contentType);
      }
      await this.audit.record(em, actor, {
        action: 'material.created',
        branchId,
        details: {
          materialId: id,
          title: dto.title,
          topic: dto.topic ?? null,
          sessionId: dto.sessionId ?? null,
        },
      });
      return toView(await this.row(em, id));
    });
  }

  /**
   * Renames a material or changes whether it asks for a confirmation (administrators for
   * topic materials, the branch's staff for a session's). Confirmations already given stay.
   */
  async update(actor: Actor, id: string, dto: UpdateMaterialDto): Promise<MaterialView> {
    return this.uow.run(async (em) => {
      const material = await this.editable(em, actor, id);
      if (dto.requiresConfirmation === false) {
        await this.refuseIfARequirement(em, id);
      }
      const changes = {
        title: dto.title ?? material.title,
        requiresConfirmation: dto.requiresConfirmation ?? material.requires_confirmation,
      };
      await em.query(`UPDATE material SET title = $2, requires_confirmation = $3 WHERE id = $1`, [
        id,
        changes.title,
        changes.requiresConfirmation,
      ]);
      await this.audit.record(em, actor, {
        action: 'material.updated',
        branchId: material.branch_id,
        details: { materialId: id, ...changes },
      });
      return toView(await this.row(em, id));
    });
  }

  /**
   * A requirement met by reading this material needs it and its confirmation: the
   * administrator changes the requirement first.
   */
  private async refuseIfARequirement(em: EntityManager, id: string): Promise<void> {
    const [used] = await em.query<{ key: string }[]>(
      `SELECT key FROM requirement WHERE material_id = $1 LIMIT 1`,
      [id],
    );
    if (used) {
      throw new ConflictError(
        `Kravet "${used.key}" opfyldes ved at læse dette materiale. / The requirement "${used.key}" is met by reading this material.`,
        'material_is_a_requirement',
      );
    }
  }

  /**
   * What deleting a material takes with it, for the page that asks first: its versions
   * and the confirmations given.
   */
  async deletion(actor: Actor, id: string) {
    const em = this.db.manager;
    const material = await this.editable(em, actor, id, false);
    return { material: toView(material), ...(await this.dependants(em, id)) };
  }

  /** Deletes a material with its versions, their file chunks and its confirmations. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      const material = await this.editable(em, actor, id);
      await this.refuseIfARequirement(em, id);
      const gone = await this.dependants(em, id);
      // The foreign keys cascade too; written out, so what goes is plain here.
      await em.query(
        `DELETE FROM material_chunk WHERE version_id IN
           (SELECT id FROM material_version WHERE material_id = $1)`,
        [id],
      );
      await em.query(`DELETE FROM material_version WHERE material_id = $1`, [id]);
      await em.query(`DELETE FROM material_confirmation WHERE material_id = $1`, [id]);
      await em.query(`DELETE FROM material WHERE id = $1`, [id]);
      await this.audit.record(em, actor, {
        action: 'material.deleted',
        branchId: material.branch_id,
        details: {
          materialId: id,
          title: material.title,
          topic: material.topic_code,
          sessionId: material.session_id,
          ...gone,
        },
      });
    });
  }

  /** A new upload of a file material: a new version, so earlier confirmations stop counting. */
  async addVersion(actor: Actor, id: string, file?: Upload): Promise<MaterialView> {
    if (!file) {
      throw new InvalidInputError([
        { field: 'file', code: 'missingFile', message: 'Vælg en fil. / Choose a file.' },
      ]);
    }
    const contentType = await this.typeOf(file);
    return this.uow.run(async (em) => {
      // Two uploads at once take turns, so each gets its own number.
      await em.query(`SELECT 1 FROM material WHERE id = $1 FOR UPDATE`, [id]);
      const material = await this.visibleToStaff(em, actor, id);
      this.mayEdit(actor, material);
      if (material.url) {
        throw new ConflictError(
          'Et link har ingen filversioner. / A link has no file versions.',
          'material_is_link',
        );
      }
      const version = material.version + 1;
      await this.storeVersion(em, id, version, file, contentType);
      await em.query(`UPDATE material SET version = $2 WHERE id = $1`, [id, version]);
      if (await this.isRequired(em, id)) {
        // Confirmations of the old version no longer meet the requirement: everyone whose
        // mark that moves loses it now, with the mails, in this transaction.
        await this.readiness.rederiveAfterRuleChange(em);
      }
      await this.audit.record(em, actor, {
        action: 'material.version_added',
        branchId: material.branch_id,
        details: { materialId: id, version },
      });
      return toView(await this.row(em, id));
    });
  }

  async list(actor: Actor, query: MaterialsQuery): Promise<MaterialView[]> {
    const scope = branchScopeOf(actor);
    const rows = await this.db.query<MaterialRow[]>(
      `${SELECT_MATERIAL}
        WHERE ($1::text IS NULL OR m.topic_code = $1)
          AND ($2::uuid IS NULL OR m.session_id = $2)
          AND ($3::uuid IS NULL OR m.topic_code IS NOT NULL OR c.branch_id = $3)
        ORDER BY m.created_at, m.id`,
      [query.topic ?? null, query.sessionId ?? null, scope],
    );
    return rows.map(toView);
  }

  /** A staff download: topic materials for all staff, a session's for its branch. */
  async streamForStaff(actor: Actor, id: string, res: Response): Promise<void> {
    const material = await this.visibleToStaff(this.db.manager, actor, id);
    await this.stream(material, res);
  }

  /** The volunteer's materials, each with a download link that works in a browser. */
  async ownMaterials(volunteerId: string): Promise<OwnMaterialView[]> {
    const rows = await this.db.query<(MaterialRow & { confirmed_at: Date | null })[]>(
      `SELECT own.*, mc.confirmed_at FROM (${OWN_MATERIALS}) own
         LEFT JOIN material_confirmation mc
           ON mc.material_id = own.id AND mc.volunteer_id = $1 AND mc.version = own.version
        ORDER BY own.topic_code NULLS LAST, own.title, own.id`,
      [volunteerId],
    );
    const secret = await this.appSecret();
    const expires = Math.floor(Date.now() / 1000) + SIGNED_LINK_SECONDS;
    return rows.map((m) => ({
      id: m.id,
      title: m.title,
      topic: m.topic_code,
      sessionId: m.session_id,
      downloadUrl:
        m.url ??
        `/api/v1/me/materials/${m.id}/file?volunteer=${volunteerId}&expires=${expires}&sig=${signDownload(secret, m.version_id!, volunteerId, expires)}`,
      requiresConfirmation: m.requires_confirmation,
      confirmedAt: m.confirmed_at,
      version: m.version,
      isLink: m.url !== null,
    }));
  }

  /**
   * The personal page's view: each booked course with its sessions, their topics (titled
   * by `titles`) and the materials for each, the session's own and its topics'.
   */
  async ownPage(volunteerId: string, titles: Map<string, string>): Promise<OwnCourseMaterials[]> {
    const sessions = await this.db.query<
      {
        course_id: string;
        course_title: string;
        id: string;
        starts_at: Date;
        location: string;
        topics: string[];
      }[]
    >(
      `SELECT c.id AS course_id, c.title AS course_title, s.id, s.starts_at, s.location,
              coalesce(array_agg(t.topic_code ORDER BY tp.position) FILTER (WHERE t.topic_code IS NOT NULL), '{}') AS topics
         FROM (${OWN_SESSIONS}) own
         JOIN course_session s ON s.id = own.id
         JOIN course c ON c.id = s.course_id
         LEFT JOIN course_session_topic t ON t.session_id = s.id
         LEFT JOIN topic tp ON tp.code = t.topic_code
        GROUP BY c.id, s.id
        ORDER BY min(s.starts_at) OVER (PARTITION BY c.id), c.id, s.starts_at`,
      [volunteerId],
    );
    const materials = await this.ownMaterials(volunteerId);
    const courses: OwnCourseMaterials[] = [];
    for (const s of sessions) {
      let course = courses.find((c) => c.id === s.course_id);
      if (!course) {
        course = { id: s.course_id, title: s.course_title, sessions: [] };
        courses.push(course);
      }
      course.sessions.push({
        id: s.id,
        startsAt: s.starts_at,
        location: s.location,
        topics: s.topics.map((code) => titles.get(code) ?? code),
        materials: materials.filter(
          (m) => m.sessionId === s.id || (m.topic !== null && s.topics.includes(m.topic)),
        ),
      });
    }
    return courses;
  }

  /** A download by the volunteer's bearer token. */
  async streamForVolunteer(volunteerId: string, id: string, res: Response): Promise<void> {
    await this.stream(await this.ownMaterial(volunteerId, id), res);
  }

  /**
   * A download by a signed link: a wrong, altered or expired signature is a 404 like a
   * material that is not theirs, so a link reveals nothing about what else exists.
   */
  async streamSigned(
    id: string,
    link: { volunteer: string; expires: string; sig: string },
    res: Response,
  ): Promise<void> {
    const material = await this.ownMaterial(link.volunteer, id);
    const ok =
      material.version_id !== null &&
      validDownloadSignature(
        await this.appSecret(),
        material.version_id,
        link.volunteer,
        Number(link.expires),
        link.sig,
      );
    if (!ok) {
      throw new NotFoundError('Material');
    }
    await this.stream(material, res);
  }

  /**
   * "I have read it", for the current version; again for the same version answers the
   * stored confirmation (`created` false).
   */
  async confirm(
    volunteerId: string,
    id: string,
  ): Promise<{ created: boolean; confirmedAt: Date; version: number }> {
    return this.uow.run(async (em) => {
      const material = await this.ownMaterial(volunteerId, id, em);
      if (!material.requires_confirmation) {
        throw new ConflictError(
          'Materialet kræver ingen bekræftelse. / The material needs no confirmation.',
          'confirmation_not_required',
        );
      }
      const inserted = await em.query<{ confirmed_at: Date }[]>(
        `INSERT INTO material_confirmation (material_id, volunteer_id, version) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING confirmed_at`,
        [id, volunteerId, material.version],
      );
      if (inserted.length > 0) {
        const [{ branch_id }] = await em.query<{ branch_id: string }[]>(
          `SELECT branch_id FROM volunteer WHERE id = $1`,
          [volunteerId],
        );
        await this.audit.record(em, null, {
          action: 'material.confirmed',
          branchId: branch_id,
          volunteerId,
          details: { materialId: id, version: material.version },
        });
        if (await this.isRequired(em, id)) {
          const volunteer = await em.findOne(Volunteer, {
            where: { id: volunteerId },
            lock: { mode: 'pessimistic_write' },
          });
          await this.readiness.refresh(em, volunteer!);
        }
        return { created: true, confirmedAt: inserted[0].confirmed_at, version: material.version };
      }
      const [stored] = await em.query<{ confirmed_at: Date }[]>(
        `SELECT confirmed_at FROM material_confirmation
          WHERE material_id = $1 AND volunteer_id = $2 AND version = $3`,
        [id, volunteerId, material.version],
      );
      return { created: false, confirmedAt: stored.confirmed_at, version: material.version };
    });
  }

  /** Whether an extra requirement is met by confirming this material. */
  private async isRequired(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(`SELECT 1 FROM requirement WHERE material_id = $1`, [
      id,
    ]);
    return rows.length > 0;
  }

  private async ownMaterial(
    volunteerId: string,
    id: string,
    em = this.db.manager,
  ): Promise<MaterialRow> {
    const [material] = await em.query<MaterialRow[]>(
      `SELECT * FROM (${OWN_MATERIALS}) own WHERE own.id = $2`,
      [volunteerId, id],
    );
    if (!material) {
      throw new NotFoundError('Material');
    }
    return material;
  }

  /** Sends the current file one stored chunk at a time, waiting while the client is slow. */
  private async stream(material: MaterialRow, res: Response): Promise<void> {
    if (!material.version_id) {
      // A link: nothing stored to send, the link itself is the material.
      throw new NotFoundError('Material');
    }
    res.status(200);
    res.setHeader('Content-Type', material.content_type!);
    res.setHeader('Content-Length', String(material.size));
    res.setHeader('Content-Disposition', contentDisposition(material.file_name!));
    res.setHeader('Cache-Control', 'private, no-store');
    for (let n = 0; n < material.chunks!; n++) {
      const [chunk] = await this.db.query<{ data: Buffer }[]>(
        `SELECT data FROM material_chunk WHERE version_id = $1 AND n = $2`,
        [material.version_id, n],
      );
      if (res.destroyed) {
        return;
      }
      if (!res.write(chunk.data)) {
        await once(res, 'drain');
      }
    }
    res.end();
  }

  private async storeVersion(
    em: EntityManager,
    materialId: string,
    version: number,
    file: Upload,
    contentType: string,
  ): Promise<void> {
    const chunks = chunksOf(file.buffer);
    const [{ id }] = await em.query<{ id: string }[]>(
      `INSERT INTO material_version (material_id, version, file_name, content_type, size, chunks)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [materialId, version, file.originalname.slice(0, 200), contentType, file.size, chunks.length],
    );
    for (const [n, data] of chunks.entries()) {
      await em.query(`INSERT INTO material_chunk (version_id, n, data) VALUES ($1, $2, $3)`, [
        id,
        n,
        data,
      ]);
    }
  }

  private async typeOf(file: Upload): Promise<string> {
    const type = await materialTypeOf(file.buffer, file.originalname);
    if ('error' in type) {
      throw new InvalidInputError([type.error]);
    }
    return type.contentType;
  }

  /**
   * Who may attach where: a topic material is national (administrators); a session's
   * belongs to its branch. A session outside the coordinator's branch is a 404.
   */
  private async placeBranch(
    em: EntityManager,
    actor: Actor,
    dto: CreateMaterialDto,
  ): Promise<string | null> {
    if (dto.topic) {
      if (actor.role !== 'admin') {
        throw new ForbiddenError(
          'Kun administratorer lægger materialer på emner. / Only administrators add topic materials.',
        );
      }
      const [topic] = await em.query<unknown[]>(`SELECT 1 FROM topic WHERE code = $1`, [dto.topic]);
      if (!topic) {
        throw new InvalidInputError([
          { field: 'topic', code: 'notAnOption', message: 'Emnet findes ikke. / No such topic.' },
        ]);
      }
      return null;
    }
    const scope = branchScopeOf(actor);
    const [session] = await em.query<{ branch_id: string }[]>(
      `SELECT c.branch_id FROM course_session s JOIN course c ON c.id = s.course_id
        WHERE s.id = $1 AND ($2::uuid IS NULL OR c.branch_id = $2)`,
      [dto.sessionId, scope],
    );
    if (!session) {
      throw new NotFoundError('Session');
    }
    return session.branch_id;
  }

  /** The material, locked, if the actor may change it: 404 out of scope, 403 a topic's for a coordinator. */
  private async editable(em: EntityManager, actor: Actor, id: string, lock = true) {
    if (lock) {
      await em.query(`SELECT 1 FROM material WHERE id = $1 FOR UPDATE`, [id]);
    }
    const material = await this.visibleToStaff(em, actor, id);
    this.mayEdit(actor, material);
    return material;
  }

  private async dependants(em: EntityManager, id: string) {
    const [counts] = await em.query<{ versions: number; confirmations: number }[]>(
      `SELECT (SELECT count(*)::int FROM material_version WHERE material_id = $1) AS versions,
              (SELECT count(*)::int FROM material_confirmation WHERE material_id = $1) AS confirmations`,
      [id],
    );
    return counts;
  }

  private mayEdit(actor: Actor, material: MaterialRow): void {
    if (material.topic_code && actor.role !== 'admin') {
      throw new ForbiddenError(
        'Kun administratorer ændrer emnematerialer. / Only administrators change topic materials.',
      );
    }
  }

  private async visibleToStaff(em: EntityManager, actor: Actor, id: string): Promise<MaterialRow> {
    const scope = branchScopeOf(actor);
    const [material] = await em.query<MaterialRow[]>(
      `${SELECT_MATERIAL} WHERE m.id = $1 AND ($2::uuid IS NULL OR m.topic_code IS NOT NULL OR c.branch_id = $2)`,
      [id, scope],
    );
    if (!material) {
      throw new NotFoundError('Material');
    }
    return material;
  }

  private async row(em: EntityManager, id: string): Promise<MaterialRow> {
    const [material] = await em.query<MaterialRow[]>(`${SELECT_MATERIAL} WHERE m.id = $1`, [id]);
    return material;
  }

  /** The app's secret (the one the session cookies are signed with), read once. */
  private appSecret(): Promise<string> {
    this.secret ??= this.db
      .query<{ value: string }[]>(`SELECT value FROM app_secret WHERE name = 'session'`)
      .then(([{ value }]) => value);
    return this.secret;
  }
}
