import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity()
export class Topic {
  @PrimaryColumn('text')
  code: string;

  @Column('text')
  titleDa: string;

  @Column('text')
  titleEn: string;

  @Column('boolean')
  mandatory: boolean;

  @Column('integer')
  position: number;
}
