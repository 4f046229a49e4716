import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CALENDAR_HEADERS, sendCalendar } from '../calendar/calendar.controller';
import { CalendarService } from '../calendar/calendar.service';
import { NotFoundError } from '../common/errors';

/** The volunteer's subscribed calendar: read-only, reached by its own feed token. */
@ApiTags('me')
@Controller()
export class CalendarFeedController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('calendar/:token.ics')
  @ApiProduces('text/calendar')
  async feed(
    @Param('token') token: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
      throw new NotFoundError('Calendar');
    }
    // The ETag is the feed's content digest from its one query, so an unchanged feed is
    // answered 304 without its events being gathered into a file or hashed.
    const feed = await this.calendars.volunteerFeed(token, ifNoneMatch);
    res.setHeader('ETag', feed.etag);
    if (feed.notModified) {
      res.setHeader('Content-Disposition', CALENDAR_HEADERS.disposition('klar.ics'));
      res.setHeader('Cache-Control', CALENDAR_HEADERS.cacheControl);
      res.status(304).end();
      return;
    }
    sendCalendar(res, feed.ics, 'klar.ics');
  }
}
