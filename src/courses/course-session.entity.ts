import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity()
export class CourseSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  courseId: string;

  @Column('timestamptz')
  startsAt: Date;

  @Column('timestamptz')
  endsAt: Date;

  @Column('text')
  location: string;

  /** iCalendar SEQUENCE, raised by every change a subscribed calendar must pick up. */
  @Column('integer')
  sequence: number;

  /** An external trainer's name; a staff trainer is `trainerUserId`. */
  @Column('text', { nullable: true })
  trainerName: string | null;

  /** The staff user teaching it: they may take this session's attendance. */
  @Column('uuid', { nullable: true })
  trainerUserId: string | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity()
export class CourseSessionTopic {
  @Column('uuid', { primary: true })
  sessionId: string;

  @Column('text', { primary: true })
  topicCode: string;
}
