import type { ExportColumn } from '../common/export/spreadsheet';
import type { Stage } from '../readiness/readiness';
import { AVAILABILITY, LANGUAGES, labelled } from './volunteer-options';
import type { VolunteerListRow } from './volunteers.repository';

/** The stage as the list page says it in Danish. */
export const STAGE_DA: Record<Stage, string> = {
  applied: 'Ansøgt',
  visit_scheduled: 'Besøg aftalt',
  approved: 'Godkendt',
  matchable: 'Klar til match',
  declined: 'Afslået',
  withdrawn: 'Trukket tilbage',
};

export interface VolunteerExportRow {
  name: string;
  email: string;
  phone: string;
  branchName: string;
  appliedAt: string;
  stage: string;
}

/** The list page's columns, the branch only for those who see several (as on the page). */
export function volunteerListSheet(rows: VolunteerListRow[], showBranch: boolean) {
  const columns: ExportColumn<VolunteerExportRow>[] = [
    { header: 'Navn', key: 'name', type: 'text' },
    { header: 'E-mail', key: 'email', type: 'text' },
    { header: 'Telefon', key: 'phone', type: 'text' },
    ...(showBranch ? [{ header: 'Afdeling', key: 'branchName', type: 'text' } as const] : []),
    { header: 'Ansøgt', key: 'appliedAt', type: 'date' },
    { header: 'Trin', key: 'stage', type: 'text' },
  ];
  return {
    columns,
    rows: rows.map((r) => ({
      name: `${r.firstName} ${r.lastName}`,
      email: r.email,
      phone: r.phone,
      branchName: r.branchName,
      appliedAt: r.appliedAt,
      stage: STAGE_DA[r.stage] ?? r.stage,
    })),
  };
}

export interface PoolRow {
  firstName: string;
  lastName: string;
  postcode: string;
  availability: string[];
  languages: string[];
  matchableSince: Date;
}

/** The pool page's columns: name, postcode, availability, languages, matchable since. */
export function poolSheet(rows: PoolRow[]) {
  const columns: ExportColumn<Record<string, unknown>>[] = [
    { header: 'Navn', key: 'name', type: 'text' },
    { header: 'Postnummer', key: 'postcode', type: 'text' },
    { header: 'Tid', key: 'availability', type: 'text' },
    { header: 'Sprog', key: 'languages', type: 'text' },
    { header: 'Klar siden', key: 'matchableSince', type: 'date' },
  ];
  return {
    columns,
    rows: rows.map((r) => ({
      name: `${r.firstName} ${r.lastName}`,
      postcode: r.postcode,
      availability: labelled(r.availability, AVAILABILITY)
        .map((o) => o.da)
        .join(', '),
      languages: labelled(r.languages, LANGUAGES)
        .map((o) => o.da)
        .join(', '),
      matchableSince: r.matchableSince,
    })),
  };
}
