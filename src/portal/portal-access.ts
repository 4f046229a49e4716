import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Volunteer } from '../volunteers/volunteer.entity';
import { PortalLinks } from './portal-links';

/** Who a personal link opens the portal for: the page and the bearer API alike. */
@Injectable()
export class PortalAccess {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly portalLinks: PortalLinks,
  ) {}

  /** The volunteer behind a live personal link, or null. */
  async volunteerFor(token: string): Promise<Volunteer | null> {
    const id = await this.portalLinks.volunteerIdFor(token);
    return id ? this.db.getRepository(Volunteer).findOneBy({ id, erasedAt: IsNull() }) : null;
  }
}
