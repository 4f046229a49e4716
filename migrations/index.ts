import { InitialSchema1764028800000 } from './1764028800000-initial-schema';
import { Courses1764115200000 } from './1764115200000-courses';
import { Outbox1764201600000 } from './1764201600000-outbox';
import { HttpSessions1764288000000 } from './1764288000000-http-sessions';
import { LimitsAndLinks1764547200000 } from './1764547200000-limits-and-links';
import { StaffAccounts1764633600000 } from './1764633600000-staff-accounts';
import { ReadinessRules1764720000000 } from './1764720000000-readiness-rules';
import { HomeVisitHeldAt1764806400000 } from './1764806400000-home-visit-held-at';
import { CourseProgress1764892800000 } from './1764892800000-course-progress';
import { CourseLocation1765152000000 } from './1765152000000-course-location';
import { VolunteerSearch1765065600000 } from './1765065600000-volunteer-search';
import { VolunteerNotes1764979200000 } from './1764979200000-volunteer-notes';
import { ClosingAndVisitChanges1765238400000 } from './1765238400000-closing-and-visit-changes';
import { BranchSettings1765584000000 } from './1765584000000-branch-settings';
import { Materials1765756800000 } from './1765756800000-materials';
import { TrainersAndEvaluation1765843200000 } from './1765843200000-trainers-and-evaluation';
import { ExtraRequirements1766016000000 } from './1766016000000-extra-requirements';
import { ConsentVersions1766102400000 } from './1766102400000-consent-versions';
import { PrivacyRights1766188800000 } from './1766188800000-privacy-rights';
import { Imports1766448000000 } from './1766448000000-imports';
import { ImportUploads1766707200000 } from './1766707200000-import-uploads';
import { ScheduledRunsAndMailPurge1766275200000 } from './1766275200000-scheduled-runs-and-mail-purge';
import { NationalScaleIndexes1766534400000 } from './1766534400000-national-scale-indexes';
import { BranchFirstViews1766793600000 } from './1766793600000-branch-first-views';

/** Every migration in order; listed by hand so the same list runs from .ts and from dist. */
export const migrations = [
  InitialSchema1764028800000,
  Courses1764115200000,
  Outbox1764201600000,
  HttpSessions1764288000000,
  LimitsAndLinks1764547200000,
  StaffAccounts1764633600000,
  ReadinessRules1764720000000,
  HomeVisitHeldAt1764806400000,
  CourseProgress1764892800000,
  VolunteerNotes1764979200000,
  VolunteerSearch1765065600000,
  CourseLocation1765152000000,
  ClosingAndVisitChanges1765238400000,
  BranchSettings1765584000000,
  Materials1765756800000,
  TrainersAndEvaluation1765843200000,
  ExtraRequirements1766016000000,
  ConsentVersions1766102400000,
  PrivacyRights1766188800000,
  ScheduledRunsAndMailPurge1766275200000,
  Imports1766448000000,
  NationalScaleIndexes1766534400000,
  ImportUploads1766707200000,
  BranchFirstViews1766793600000,
];
