import { DateTime } from 'luxon';
import type { ExportColumn } from '../common/export/spreadsheet';
import type { GridRecordRow } from './attendance.repository';
import { presentAt } from './course.view';

type Cells = Record<string, string | number | null>;

/** The course page's participants: the booked, then the waiting list in its order. */
export function participantsSheet(
  rows: { firstName: string; lastName: string; status: string; position: number | null }[],
) {
  const columns: ExportColumn<Cells>[] = [
    { header: 'Navn', key: 'name', type: 'text' },
    { header: 'Status', key: 'status', type: 'text' },
    { header: 'Nr. på venteliste', key: 'position', type: 'number' },
  ];
  return {
    columns,
    rows: rows.map((r) => ({
      name: `${r.firstName} ${r.lastName}`,
      status: r.status === 'booked' ? 'Tilmeldt' : 'Venteliste',
      position: r.position,
    })),
  };
}

/**
 * The attendance register as the page shows it: a row per person (make-ups marked), a
 * column per live session headed by its start in Copenhagen, "Mødt"/"Ikke mødt" or empty.
 */
export function attendanceSheet(grid: {
  sessions: { id: string; startsAt: Date }[];
  people: { volunteerId: string; firstName: string; lastName: string; booked: boolean }[];
  records: GridRecordRow[];
}) {
  const sessionKey = (i: number) => `s${i}`;
  const columns: ExportColumn<Cells>[] = [
    { header: 'Deltager', key: 'name', type: 'text' },
    { header: 'Indhenter', key: 'makeUp', type: 'text' },
    ...grid.sessions.map((s, i) => ({
      header: DateTime.fromJSDate(s.startsAt)
        .setZone('Europe/Copenhagen')
        .toFormat('dd-MM-yyyy HH:mm'),
      key: sessionKey(i),
      type: 'text' as const,
    })),
  ];
  return {
    columns,
    rows: grid.people.map((p) => {
      const row: Cells = { name: `${p.firstName} ${p.lastName}`, makeUp: p.booked ? '' : 'Ja' };
      grid.sessions.forEach((s, i) => {
        const present = presentAt(grid.records, s.id, p.volunteerId);
        row[sessionKey(i)] = present === null ? '' : present ? 'Mødt' : 'Ikke mødt';
      });
      return row;
    }),
  };
}
