import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ExtraDefinition, ReadinessRecords } from './readiness';

/** The readiness reads that are more than a find on one entity. */
@Injectable()
export class ReadinessRepository {
  /**
   * The sessions a volunteer attended, in any course of the branch (a missed session may
   * be made up in another course), with their hours and topics: one query.
   */
  async attendedSessions(em: EntityManager, volunteerId: string) {
    const rows = await em.query<{ hours: string; topics: string[] }[]>(
      `SELECT extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS hours,
              coalesce(array_agg(t.topic_code) FILTER (WHERE t.topic_code IS NOT NULL), '{}') AS topics
         FROM attendance a
         JOIN course_session s ON s.id = a.session_id AND s.cancelled_at IS NULL
         LEFT JOIN course_session_topic t ON t.session_id = s.id
        WHERE a.volunteer_id = $1 AND a.present
        GROUP BY s.id`,
      [volunteerId],
    );
    return rows.map((r) => ({ hours: Number(r.hours), topics: r.topics }));
  }

  /** The course completed before Klar, as a calendar day, or null. */
  async priorCompletion(
    em: EntityManager,
    volunteerId: string,
  ): Promise<ReadinessRecords['priorCompletion']> {
    const [row] = await em.query<{ completedOn: string }[]>(
      `SELECT to_char(completed_on, 'YYYY-MM-DD') AS "completedOn"
         FROM prior_course_completion WHERE volunteer_id = $1`,
      [volunteerId],
    );
    return row ? { completedOn: row.completedOn } : null;
  }

  /**
   * The extra requirements, what was recorded of them for the volunteer and their
   * reading confirmations (the day in Copenhagen, as the view volunteer_requirement).
   */
  async extras(
    em: EntityManager,
    volunteerId: string,
  ): Promise<Pick<ReadinessRecords, 'extraDefinitions' | 'extraRecords' | 'confirmations'>> {
    const extraDefinitions = await em.query<ExtraDefinition[]>(
      `SELECT d.key, d.name_da AS "nameDa", d.name_en AS "nameEn", d.renew_months AS "renewMonths",
              d.material_id AS "materialId", m.version AS "materialVersion"
         FROM requirement d LEFT JOIN material m ON m.id = d.material_id
        ORDER BY d.created_at, d.key`,
    );
    if (extraDefinitions.length === 0) {
      return { extraDefinitions, extraRecords: [], confirmations: [] };
    }
    const extraRecords = await em.query<{ key: string; metOn: string }[]>(
      `SELECT requirement_key AS key, to_char(met_on, 'YYYY-MM-DD') AS "metOn"
         FROM volunteer_requirement_record WHERE volunteer_id = $1`,
      [volunteerId],
    );
    const confirmations = await em.query<
      { materialId: string; version: number; confirmedOn: string }[]
    >(
      `SELECT c.material_id AS "materialId", c.version,
              to_char((c.confirmed_at AT TIME ZONE 'Europe/Copenhagen')::date, 'YYYY-MM-DD') AS "confirmedOn"
         FROM material_confirmation c
        WHERE c.volunteer_id = $1 AND c.material_id IN (SELECT material_id FROM requirement)`,
      [volunteerId],
    );
    return { extraDefinitions, extraRecords, confirmations };
  }

  /**
   * Active volunteers whose stored mark no longer agrees with the rules in SQL (after the
   * curriculum, rule_settings or the extra requirements changed in this transaction):
   * approved ones who now meet the course, certificate and extra requirements, matchable
   * ones who do not, or whose mark ends on another day. Only an approved visit opens the way to matchable, so no other stage can move.
   *
   * Every approved and matchable volunteer is locked first (id order, locks.ts), and only
   * then compared: a change to one of them committed meanwhile (attendance judged by the
   * old curriculum) is then seen by the comparison, which a filter taken before the
   * locks would miss.
   */
  async offTheRules(em: EntityManager): Promise<string[]> {
    await em.query(
      `SELECT id FROM volunteer
        WHERE status = 'active' AND stage IN ('approved', 'matchable')
        ORDER BY id
          FOR UPDATE`,
    );
    const rows = await em.query<{ id: string }[]>(
      `SELECT v.id FROM volunteer v
         LEFT JOIN volunteer_certificate c ON c.volunteer_id = v.id
         LEFT JOIN volunteer_course_progress p ON p.volunteer_id = v.id
        WHERE v.status = 'active' AND v.stage IN ('approved', 'matchable')
          AND ((v.stage = 'matchable') <> (coalesce(c.valid, false) AND coalesce(p.completed, false)
                                          AND NOT EXISTS (SELECT 1 FROM volunteer_requirement r
                                                           WHERE r.volunteer_id = v.id AND NOT r.met))
               OR (v.stage = 'matchable' AND v.matchable_until IS DISTINCT FROM
                     least(c.valid_until, (SELECT min(r.valid_until) FROM volunteer_requirement r
                                            WHERE r.volunteer_id = v.id))))
        ORDER BY v.id
          FOR UPDATE OF v`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Matchable volunteers whose mark ran out (or whose newest certificate, by the SQL
   * rule, no longer holds: a stored mark never outlives its certificate).
   */
  async lapsedMarks(em: EntityManager): Promise<string[]> {
    const rows = await em.query<{ id: string }[]>(
      `SELECT v.id FROM volunteer v
        WHERE v.status = 'active' AND v.stage = 'matchable'
          AND (volunteer_stage_today(v.stage, v.matchable_until) <> 'matchable'
               OR NOT EXISTS (SELECT 1 FROM volunteer_certificate c
                               WHERE c.volunteer_id = v.id AND c.valid)
               OR EXISTS (SELECT 1 FROM volunteer_requirement r
                           WHERE r.volunteer_id = v.id AND NOT r.met))
        ORDER BY v.id`,
    );
    return rows.map((r) => r.id);
  }

  /** The certificate validity the stored marks were derived with; the row locked. */
  async lockRuleSettings(em: EntityManager): Promise<{ attestationValidMonths: number } | null> {
    const [row] = await em.query<{ attestationValidMonths: number }[]>(
      'SELECT attestation_valid_months AS "attestationValidMonths" FROM rule_settings FOR UPDATE',
    );
    return row ?? null;
  }

  async storeRuleSettings(em: EntityManager, attestationValidMonths: number): Promise<void> {
    await em.query(
      `INSERT INTO rule_settings (id, attestation_valid_months) VALUES (true, $1)
       ON CONFLICT (id) DO UPDATE SET attestation_valid_months = excluded.attestation_valid_months`,
      [attestationValidMonths],
    );
  }
}
