import { Column, Entity } from 'typeorm';

@Entity()
export class Attendance {
  @Column('uuid', { primary: true })
  sessionId: string;

  @Column('uuid', { primary: true })
  volunteerId: string;

  @Column('boolean')
  present: boolean;

  @Column('uuid')
  recordedBy: string;

  @Column('timestamptz')
  recordedAt: Date;
}
