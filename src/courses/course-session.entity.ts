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
