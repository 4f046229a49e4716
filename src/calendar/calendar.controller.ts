import { Controller, Get, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { UuidParam } from '../common/validation';
import { CalendarService } from './calendar.service';

/**
 * Calendar files of courses and sessions; the volunteer's own feed is the portal's
 * (src/portal/calendar-feed.controller.ts).
 */
@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('api/v1/courses/:id/calendar.ics')
  @ApiProduces('text/calendar')
  async course(@UuidParam() courseId: string, @Res() res: Response) {
    sendCalendar(res, await this.calendars.course(courseId), 'kursus.ics');
  }

  @Get('api/v1/sessions/:id/calendar.ics')
  @ApiProduces('text/calendar')
  async session(@UuidParam() sessionId: string, @Res() res: Response) {
    sendCalendar(res, await this.calendars.session(sessionId), 'kursusgang.ics');
  }
}

/** The headers of every calendar answer, a 304 included. */
export const CALENDAR_HEADERS = {
  disposition: (filename: string) => `inline; filename="${filename}"`,
  cacheControl: 'private, max-age=0, must-revalidate',
};

/**
 * Express sets an ETag on a body it sends, unless one is set already (the volunteer's
 * feed sets its own), and answers a matching If-None-Match with 304, so calendar
 * clients that poll pay little for an unchanged file.
 */
export function sendCalendar(res: Response, body: string, filename: string) {
  res.type('text/calendar; charset=utf-8');
  res.setHeader('Content-Disposition', CALENDAR_HEADERS.disposition(filename));
  res.setHeader('Cache-Control', CALENDAR_HEADERS.cacheControl);
  res.send(body);
}
