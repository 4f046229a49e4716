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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
