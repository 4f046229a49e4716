import { Column, Entity, PrimaryColumn } from 'typeorm';

const numeric = {
  to: (v: number) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** The single row of curriculum settings. */
@Entity()
export class Curriculum {
  @PrimaryColumn('boolean')
  id: boolean;

  @Column('numeric', { precision: 5, scale: 2, transformer: numeric })
  requiredHours: number;
}
