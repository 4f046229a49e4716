import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { sendCalendar } from '../calendar/calendar.controller';
import { CalendarService } from '../calendar/calendar.service';
import { NotFoundError } from '../common/errors';

/** The volunteer's subscribed calendar: read-only, reached by its own feed token. */
@ApiTags('me')
@Controller()
export class CalendarFeedController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('calendar/:token.ics')
  @ApiProduces('text/calendar')
  async feed(@Param('token') token: string, @Res() res: Response) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
      throw new NotFoundError('Calendar');
    }
    sendCalendar(res, await this.calendars.volunteerFeed(token), 'klar.ics');
  }
}
