import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { toIsoWithOffset } from '../common/dates';
import { preparedQuery } from '../database/prepared-query';
import { STAGES, type Stage } from '../readiness/readiness';
import type { VolunteerSort } from './dto/list-volunteers.query';
import { Volunteer } from './volunteer.entity';

export interface VolunteerListFilter {
  /** The actor's branch scope; null for all branches. */
  branchId: string | null;
  branchCode?: string;
  stage?: Stage;
  q?: string;
  matchable?: boolean;
  /** A postcode prefix. */
  postcode?: string;
  sort?: VolunteerSort;
  /** null: every matching row (an export). */
  limit: number | null;
  offset: number;
}

export interface VolunteerListRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  branchCode: string;
  branchName: string;
  appliedAt: string;
  stage: Stage;
  matchable: boolean;
}

/**
 * The stage as of today (migrations/1764720000000-readiness-rules.ts): the stored stage,
 * except that a mark whose certificate ran out reads as approved from that midnight.
 */
const STAGE_TODAY = `volunteer_stage_today(v.stage, v.matchable_until)`;
const MATCHABLE_TODAY = `coalesce(volunteer_matchable_today(v.stage, v.matchable_until), false)`;
/** The stored stages that can read as $3 today, so a stage filter can use the stage index. */
const STORED_STAGES_OF = `CASE WHEN $3 = 'approved' THEN ARRAY['approved', 'matchable'] ELSE ARRAY[$3] END`;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The digits of a search that reads as a phone number ("20 30 40 50", "+45 2030-4050"),
 * else null. A Danish country code is dropped, so a number written with or without it
 * finds the other.
 */
export function phoneDigitsOf(q: string): string | null {
  if (!/^[+]?[0-9\s()./-]+$/.test(q)) {
    return null;
  }
  const digits = q.replace(/[^0-9]/g, '');
  if (digits.length === 0) {
    return null;
  }
  return /^(\+|00)/.test(q.trim()) ? digits.replace(/^(00)?45(?=[0-9]{8}$)/, '') : digits;
}

/** Path order for `sort=stage`: the stages as the path runs, the closed ones last. */
const STAGE_ORDER = `array_position(ARRAY[${STAGES.map((stage) => `'${stage}'`).join(', ')}], ${STAGE_TODAY})`;

/**
 * ORDER BY for each sort. `name_sort` is last name then first name in Danish alphabet
 * order under the C collation (migrations/1765065600000-volunteer-search.ts); the id
 * last makes pages stable when names or days repeat.
 */
const ORDER_BY: Record<VolunteerSort, string> = {
  name: 'v.name_sort, v.id',
  '-name': 'v.name_sort DESC, v.id DESC',
  appliedAt: 'v.created_at, v.id DESC',
  '-appliedAt': 'v.created_at DESC, v.id',
  stage: `${STAGE_ORDER}, v.name_sort, v.id`,
  '-stage': `${STAGE_ORDER} DESC, v.name_sort, v.id`,
};

@Injectable()
export class VolunteersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The page and the total in one prepared statement (a list request is three
   * statements with the sign-in check, and each costs a round trip and a plan): the
   * total is a scalar subquery PostgreSQL runs once, apart from the page, so the page
   * still walks the (branch_id, created_at) or (branch_id, name_sort) index in order and
   * stops at its end rather than reading every matching row for a count over its window.
   * Only a page past the end (no rows, so no total on them) asks for the count again.
   * The branch is a subquery, not a join, so that its id reaches those indexes. Stage
   * and matchable are stored on the row by readiness with the day the mark ends, so
   * nothing is computed per row but a comparison with today.
   */
  async list(filter: VolunteerListFilter): Promise<{ items: VolunteerListRow[]; total: number }> {
    const where = `
      v.erased_at IS NULL
      AND ($1::uuid IS NULL OR v.branch_id = $1)
      AND ($2::text IS NULL OR v.branch_id = (SELECT id FROM branch WHERE code = $2))
      AND ($3::text IS NULL OR (v.stage = ANY(${STORED_STAGES_OF}) AND ${STAGE_TODAY} = $3))
      AND ($4::boolean IS NULL
           OR ($4 AND volunteer_matchable_today(v.stage, v.matchable_until))
           OR (NOT $4 AND NOT ${MATCHABLE_TODAY}))
      AND ($5::text IS NULL
           OR v.search_text LIKE '%' || klar_search_fold($5) || '%'
           OR v.phone_digits LIKE '%' || $7 || '%')
      AND ($6::text IS NULL OR v.postcode LIKE $6)`;
    const params = [
      filter.branchId,
      filter.branchCode ?? null,
      filter.stage ?? null,
      filter.matchable ?? null,
      filter.q ? escapeLike(filter.q) : null,
      filter.postcode ? `${escapeLike(filter.postcode)}%` : null,
      (filter.q && phoneDigitsOf(filter.q)) ?? null,
    ];
    const count = `SELECT count(*)::int AS total FROM volunteer v WHERE ${where}`;
    const sort = filter.sort ?? '-appliedAt';
    const rows = await preparedQuery<
      Omit<VolunteerListRow, 'appliedAt'> & { appliedAt: Date; total: number }
    >(
      this.db,
      `volunteer-list-${sort}`,
      `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName", v.email, v.phone,
              b.code AS "branchCode", b.name AS "branchName", v.created_at AS "appliedAt",
              ${STAGE_TODAY} AS stage, ${MATCHABLE_TODAY} AS matchable,
              (${count}) AS total
         FROM volunteer v
         JOIN branch b ON b.id = v.branch_id
        WHERE ${where}
        ORDER BY ${ORDER_BY[sort]}
        LIMIT $8 OFFSET $9`,
      [...params, filter.limit, filter.offset],
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && filter.offset > 0) {
      [{ total }] = await this.db.query<{ total: number }[]>(count, params);
    }
    return {
      items: rows.map(({ appliedAt, total: _total, ...item }) => ({
        ...item,
        appliedAt: toIsoWithOffset(appliedAt),
      })),
      total,
    };
  }

  /** The matchable volunteers in scope with what matching a family considers. */
  matchablePool(filter: {
    branchId: string | null;
    postcode?: string;
    availability?: string;
    language?: string;
  }) {
    return this.db.query<
      {
        id: string;
        firstName: string;
        lastName: string;
        postcode: string;
        availability: string[];
        languages: string[];
        matchableSince: Date;
        branchName: string;
      }[]
    >(
      `SELECT v.id, v.first_name AS "firstName", v.last_name AS "lastName", v.postcode,
              v.availability, v.languages, v.matchable_since AS "matchableSince",
              b.name AS "branchName"
         FROM volunteer v JOIN branch b ON b.id = v.branch_id
        WHERE volunteer_matchable_today(v.stage, v.matchable_until)
          AND v.erased_at IS NULL
          AND ($1::uuid IS NULL OR v.branch_id = $1)
          AND ($2::text IS NULL OR v.postcode LIKE $2)
          AND ($3::text IS NULL OR $3 = ANY(v.availability))
          AND ($4::text IS NULL OR $4 = ANY(v.languages))
        ORDER BY v.postcode, v.matchable_since
        LIMIT 500`,
      [
        filter.branchId,
        filter.postcode ? `${escapeLike(filter.postcode)}%` : null,
        filter.availability ?? null,
        filter.language ?? null,
      ],
    );
  }

  /**
   * A volunteer inside the branch scope, locked for the rest of the transaction when asked.
   * An erased person's tombstone is nobody's to find.
   */
  findInScope(em: EntityManager, id: string, branchId: string | null, lock = false) {
    return em.findOne(Volunteer, {
      where: branchId === null ? { id, erasedAt: IsNull() } : { id, branchId, erasedAt: IsNull() },
      lock: lock ? { mode: 'pessimistic_write' } : undefined,
    });
  }

  findActiveByEmail(em: EntityManager, email: string) {
    return em.findOne(Volunteer, { where: { email, status: 'active' } });
  }
}
