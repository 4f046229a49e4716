import { Inject, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { hashToken, newToken } from '../common/tokens';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CalendarFeedsService } from './calendar-feeds.service';

/** Live personal links a volunteer may hold; a new one retires the least recently used. */
export const MAX_LIVE_LINKS = 5;
/**
 * A link used this recently is never retired by a new one, so whoever triggers mails to
 * someone's address (a repeated application, a link request) cannot lock them out.
 */
export const RECENT_USE_DAYS = 7;
/** Page views closer together than this do not write a new last-use time. */
const TOUCH_AFTER_SECONDS = 60;

/**
 * The volunteer's personal links (`/v/{token}`, also the bearer of /api/v1/me), stored
 * only as hashes. Each mail that carries a link mints a new one, because the old ones
 * cannot be read back; minting keeps at most MAX_LIVE_LINKS live, and a link unused for
 * PORTAL_LINK_IDLE_DAYS opens nothing. The calendar feed does not hang on these links
 * (see CalendarFeedsService), so a subscription outlives them.
 */
@Injectable()
export class PortalLinks {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendarFeeds: CalendarFeedsService,
  ) {}

  /** A new link for the volunteer, inside the caller's transaction; returns the token. */
  async mint(em: EntityManager, volunteerId: string): Promise<string> {
    // One volunteer's links change one transaction at a time, so two mails at once
    // cannot both count four and leave six.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('portal_token'), hashtext($1))`, [
      volunteerId,
    ]);
    await em.query(
      `DELETE FROM portal_token
        WHERE volunteer_id = $1 AND last_used_at <= now() - $2::int * interval '1 day'`,
      [volunteerId, this.config.portalLinkIdleDays],
    );
    const token = newToken();
    const [{ id }] = await em.query<{ id: string }[]>(
      `INSERT INTO portal_token (volunteer_id, token_hash) VALUES ($1, $2) RETURNING id`,
      [volunteerId, hashToken(token)],
    );
    // Over the cap, the least recently used links go, but only those not used lately:
    // while all are in use, the volunteer holds one more until one ages.
    await em.query(
      `DELETE FROM portal_token WHERE id IN (
         SELECT id FROM portal_token
          WHERE volunteer_id = $1 AND id <> $2
            AND last_used_at < now() - $3::int * interval '1 day'
          ORDER BY last_used_at, created_at
          LIMIT greatest(0, (SELECT count(*) FROM portal_token WHERE volunteer_id = $1) - $4::int))`,
      [volunteerId, id, RECENT_USE_DAYS, MAX_LIVE_LINKS],
    );
    await this.calendarFeeds.open(em, volunteerId, token);
    return token;
  }

  /** The volunteer a live link belongs to, or null; marks the link as used. */
  async volunteerIdFor(token: string): Promise<string | null> {
    if (token.length > 200) {
      return null;
    }
    const rows = await this.db.query<{ volunteer_id: string }[]>(
      `WITH live AS (
         SELECT id, volunteer_id, last_used_at FROM portal_token
          WHERE token_hash = $1 AND last_used_at > now() - $2::int * interval '1 day'),
       touched AS (
         UPDATE portal_token p SET last_used_at = now() FROM live
          WHERE p.id = live.id AND live.last_used_at < now() - $3::int * interval '1 second')
       SELECT volunteer_id FROM live`,
      [hashToken(token), this.config.portalLinkIdleDays, TOUCH_AFTER_SECONDS],
    );
    return rows[0]?.volunteer_id ?? null;
  }
}

/** The links alone, for the modules that mail them; the portal's pages are PortalModule. */
@Module({
  providers: [PortalLinks, CalendarFeedsService],
  exports: [PortalLinks, CalendarFeedsService],
})
export class PortalLinksModule {}
