import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const NOTE_TOPICS = ['home_visit', 'attestation', 'course'] as const;
/** The requirement a note concerns, if any. */
export type NoteTopic = (typeof NOTE_TOPICS)[number];

/** One entry of the contact log on a volunteer's record, written by staff. */
@Entity()
export class VolunteerNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  volunteerId: string;

  @Column('uuid')
  authorId: string;

  @Column('text')
  text: string;

  @Column('text', { nullable: true })
  topic: NoteTopic | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
