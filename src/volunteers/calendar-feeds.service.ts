import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hashToken } from '../common/tokens';
import { CalendarFeed } from './calendar-feed.entity';
import { Volunteer } from './volunteer.entity';
import { inTransaction } from '../database/transaction';

/**
 * The volunteer's calendar feed link: read-only, separate from the personal link, and
 * renewable. The token is derived from the personal-link token (an HMAC, so the feed
 * link does not reveal the personal one) and the volunteer's calendar version: the
 * volunteer's page can always show it again, while the database holds only its hash.
 * Renewing raises the version, which retires every older feed link at once.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The feed path for the volunteer reached through `portalToken`, made live if new. */
  async pathFor(
    volunteer: Pick<Volunteer, 'id' | 'calendarVersion'>,
    portalToken: string,
  ): Promise<string> {
    const token = deriveFeedToken(portalToken, volunteer.calendarVersion);
    await this.db
      .createQueryBuilder()
      .insert()
      .into(CalendarFeed)
      .values({
        tokenHash: hashToken(token),
        volunteerId: volunteer.id,
        version: volunteer.calendarVersion,
      })
      .orIgnore()
      .execute();
    return `/calendar/${token}.ics`;
  }

  /** Kills every feed link of the volunteer and returns the new one. */
  async renew(volunteerId: string, portalToken: string): Promise<string> {
    const volunteer = await inTransaction(this.db, async (em) => {
      await em.increment(Volunteer, { id: volunteerId }, 'calendarVersion', 1);
      await em.delete(CalendarFeed, { volunteerId });
      return em.findOneByOrFail(Volunteer, { id: volunteerId });
    });
    return this.pathFor(volunteer, portalToken);
  }
}

export function deriveFeedToken(portalToken: string, version: number): string {
  return createHmac('sha256', portalToken)
    .update(`klar-calendar-feed:${version}`)
    .digest('base64url');
}
