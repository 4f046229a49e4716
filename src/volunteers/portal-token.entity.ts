import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A volunteer's personal-page link. Several may be live: applying again with the same
 * email mails a new link without killing the old one, so nobody can lock a person out
 * of their page by knowing their address.
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
}
