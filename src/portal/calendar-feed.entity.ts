import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A live calendar feed token, stored only as its hash. */
@Entity()
export class CalendarFeed {
  @PrimaryColumn('text')
  tokenHash: string;

  @Column('uuid')
  volunteerId: string;

  /** The volunteer's calendar_version it was made for; older versions are dead. */
  @Column('integer')
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
