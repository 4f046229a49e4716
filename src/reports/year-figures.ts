import type { ExportColumn } from '../common/export/spreadsheet';
import type { StepMedians, YearFigures } from './year-figures.repository';

/** A figure's key in the API, with its Danish and English names (the page, the files). */
export interface FigureLine {
  key: string;
  da: string;
  en: string;
  value: (f: YearFigures) => number | null;
  /** A count shown as a bar; medians and hours are not compared as bars with the counts. */
  bar: boolean;
}

export const FIGURE_LINES: FigureLine[] = [
  {
    key: 'applications',
    da: 'Nye ansøgninger',
    en: 'New applications',
    value: (f) => f.applications,
    bar: true,
  },
  {
    key: 'homeVisits',
    da: 'Hjemmebesøg holdt',
    en: 'Home visits held',
    value: (f) => f.homeVisits,
    bar: true,
  },
  {
    key: 'approved',
    da: 'Godkendt ved besøg',
    en: 'Approved at a visit',
    value: (f) => f.approved,
    bar: true,
  },
  {
    key: 'declined',
    da: 'Afslået ved besøg',
    en: 'Declined at a visit',
    value: (f) => f.declined,
    bar: true,
  },
  {
    key: 'attestations',
    da: 'Børneattester modtaget (uden anmærkninger)',
    en: 'Child certificates obtained (clean)',
    value: (f) => f.attestations,
    bar: true,
  },
  {
    key: 'coursesHeld',
    da: 'Kurser holdt',
    en: 'Courses held',
    value: (f) => f.coursesHeld,
    bar: true,
  },
  {
    key: 'courseHours',
    da: 'Kursustimer afholdt',
    en: 'Course hours delivered',
    value: (f) => f.courseHours,
    bar: false,
  },
  {
    key: 'completedCourse',
    da: 'Gennemførte kurset',
    en: 'Completed the course',
    value: (f) => f.completedCourse,
    bar: true,
  },
  {
    key: 'becameMatchable',
    da: 'Blev klar til match',
    en: 'Became matchable',
    value: (f) => f.becameMatchable,
    bar: true,
  },
  { key: 'withdrawn', da: 'Trak sig', en: 'Withdrew', value: (f) => f.withdrawn, bar: true },
  {
    key: 'withdrawnByStage.applied',
    da: 'Trak sig efter ansøgning',
    en: 'Withdrew after applying',
    value: (f) => f.withdrawnByStage.applied,
    bar: false,
  },
  {
    key: 'withdrawnByStage.visit_scheduled',
    da: 'Trak sig med besøg aftalt',
    en: 'Withdrew with a visit scheduled',
    value: (f) => f.withdrawnByStage.visit_scheduled,
    bar: false,
  },
  {
    key: 'withdrawnByStage.approved',
    da: 'Trak sig som godkendt',
    en: 'Withdrew when approved',
    value: (f) => f.withdrawnByStage.approved,
    bar: false,
  },
  {
    key: 'withdrawnByStage.matchable',
    da: 'Trak sig som klar til match',
    en: 'Withdrew when matchable',
    value: (f) => f.withdrawnByStage.matchable,
    bar: false,
  },
  {
    key: 'medianDaysToMatchable',
    da: 'Median dage fra ansøgning til klar til match',
    en: 'Median days from application to matchable',
    value: (f) => f.medianDaysToMatchable,
    bar: false,
  },
];

export const STEP_LINES: { key: keyof StepMedians; da: string; en: string }[] = [
  { key: 'approved', da: 'til godkendt ved hjemmebesøg', en: 'to approved at the home visit' },
  { key: 'attestation', da: 'til børneattest modtaget', en: 'to child certificate obtained' },
  { key: 'course', da: 'til kurset gennemført', en: 'to the course completed' },
  { key: 'matchable', da: 'til klar til match', en: 'to matchable' },
];

export interface YearRow {
  figure: string;
  thisYear: number | null;
  previousYear: number | null;
  difference: number | null;
}

/** `b - a` where both are known, rounded as the figures are. */
export const differenceOf = (now: number | null, before: number | null) =>
  now === null || before === null ? null : Math.round((now - before) * 100) / 100;

/** The figures, the year before and the difference: one row a figure, as on the page. */
export function yearSheet(year: number, figures: YearFigures, previous: YearFigures) {
  const columns: ExportColumn<YearRow>[] = [
    { header: 'Nøgletal', key: 'figure', type: 'text' },
    { header: String(year), key: 'thisYear', type: 'number' },
    { header: String(year - 1), key: 'previousYear', type: 'number' },
    { header: 'Forskel', key: 'difference', type: 'number' },
  ];
  const rows: YearRow[] = FIGURE_LINES.map((line) => {
    const now = line.value(figures);
    const before = line.value(previous);
    return {
      figure: line.da,
      thisYear: now,
      previousYear: before,
      difference: differenceOf(now, before),
    };
  });
  return { columns, rows };
}
