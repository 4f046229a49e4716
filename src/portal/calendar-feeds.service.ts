import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { hashToken } from '../common/tokens';
import { CalendarFeed } from './calendar-feed.entity';
import { Volunteer } from '../volunteers/volunteer.entity';
import { inTransaction } from '../database/transaction';

/**
 * The volunteer's calendar feed link: read-only, separate from the personal link, and
 * renewable. The token is derived from the personal-link token (an HMAC, so the feed
 * link does not reveal the personal one) and the volunteer's calendar version: the
 * volunteer's page can always show it again, while the database holds only its hash.
 * Renewing raises the version, which retires every older feed link at once.
 *
 * A feed link is made live where its personal link is made (minting, renewing), never
 * when a page or /api/v1/me is read: a GET creates nothing.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Makes the feed link of `portalToken` live, inside the transaction that minted it;
   * returns its path.
   */
  async open(em: EntityManager, volunteerId: string, portalToken: string): Promise<string> {
    const volunteer = await em.findOneByOrFail(Volunteer, { id: volunteerId });
    const token = deriveFeedToken(portalToken, volunteer.calendarVersion);
    await em
      .createQueryBuilder()
      .insert()
      .into(CalendarFeed)
      .values({
        tokenHash: hashToken(token),
        volunteerId,
        version: volunteer.calendarVersion,
      })
      .orIgnore()
      .execute();
    return feedPath(token);
  }

  /**
   * The feed path that belongs to `portalToken`, or null when it is not live: the link
   * predates feeds being made at minting, or another link of the volunteer renewed the
   * feed since (the page then offers to make one for this link, without renewing).
   */
  async pathFor(
    volunteer: Pick<Volunteer, 'id' | 'calendarVersion'>,
    portalToken: string,
  ): Promise<string | null> {
    const token = deriveFeedToken(portalToken, volunteer.calendarVersion);
    const live = await this.db.getRepository(CalendarFeed).existsBy({
      tokenHash: hashToken(token),
      volunteerId: volunteer.id,
    });
    return live ? feedPath(token) : null;
  }

  /** Makes the feed link of `portalToken` live at the volunteer's current version. */
  openOwn(volunteerId: string, portalToken: string): Promise<string> {
    return inTransaction(this.db, (em) => this.open(em, volunteerId, portalToken));
  }

  /** Kills every feed link of the volunteer and returns the new one. */
  renew(volunteerId: string, portalToken: string): Promise<string> {
    return inTransaction(this.db, async (em) => {
      await em.increment(Volunteer, { id: volunteerId }, 'calendarVersion', 1);
      await em.delete(CalendarFeed, { volunteerId });
      return this.open(em, volunteerId, portalToken);
    });
  }
}

const feedPath = (token: string) => `/calendar/${token}.ics`;

export function deriveFeedToken(portalToken: string, version: number): string {
  return createHmac('sha256', portalToken)
    .update(`klar-calendar-feed:${version}`)
    .digest('base64url');
}
