import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A volunteer's personal-page link. Several may be live: a mail with a new link does
 * not kill the old ones, so nobody can lock a person out of their page by knowing their
 * address (PortalLinks decides how many, and when one expires).
 */
@Entity()
export class PortalToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  volunteerId: string;

  @Column('text')
  tokenHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastUsedAt: Date;
}
