import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class Branch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text', { array: true })
  postcodes: string[];

  /** Where applicants and volunteers can write to the branch. */
  @Column('text', { nullable: true })
  contactEmail: string | null;

  /** An inactive branch is not offered on the application form and takes no applications. */
  @Column('boolean')
  active: boolean;

  /** The one branch that receives applications whose postcode no branch covers. */
  @Column('boolean')
  fallback: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
