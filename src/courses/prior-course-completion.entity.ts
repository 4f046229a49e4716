import { Column, Entity } from 'typeorm';

/**
 * The 20-hour course completed before Klar (from a branch's spreadsheet): it meets the
 * course requirement in full, as `volunteer_course_progress` counts it.
 */
@Entity()
export class PriorCourseCompletion {
  @Column('uuid', { primary: true })
  volunteerId: string;

  /** A calendar day (yyyy-mm-dd). */
  @Column('date')
  completedOn: string;

  /** Hours, when the file said; null when it said only the date. */
  @Column('numeric', {
    precision: 5,
    scale: 2,
    nullable: true,
    transformer: {
      to: (value: number | null) => value,
      from: (value: string | null) => (value === null ? null : Number(value)),
    },
  })
  hours: number | null;

  @Column('timestamptz', { default: () => 'now()' })
  recordedAt: Date;
}
