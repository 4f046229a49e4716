import { Body, Controller, Delete, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPortalToken, CurrentVolunteerId } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { deriveStage } from '../readiness/readiness';
import { toReadinessView } from '../readiness/readiness.view';
import { CalendarFeedsService } from './calendar-feeds.service';
import { ConsentedPortalGuard, PortalGuard } from './portal.guard';
import { VolunteersService } from '../volunteers/volunteers.service';
import { BookingsService } from '../courses/bookings.service';
import { OwnBookingDto } from '../courses/dto/booking.dto';
import { CONSENT_REQUIRED, toConsentView } from '../privacy/consent';

/**
 * The volunteer's own routes; the bearer token is the token of their personal link. Every
 * route but `GET` waits on consent (ConsentedPortalGuard): a person imported from a
 * spreadsheet reads `consent.givenAt: null` here and consents first.
 */
@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeApiController {
  constructor(
    private readonly volunteers: VolunteersService,
    private readonly bookings: BookingsService,
    private readonly calendarFeeds: CalendarFeedsService,
  ) {}

  @Get()
  @UseGuards(PortalGuard)
  async me(@CurrentVolunteerId() volunteerId: string, @CurrentPortalToken() portalToken: string) {
    const { volunteer, readiness } = await this.volunteers.ownView(volunteerId);
    return {
      id: volunteer.id,
      firstName: volunteer.firstName,
      stage: deriveStage(volunteer.status, readiness),
      // `givenAt: null` (imported): ask first, POST /api/v1/me/consent.
      consent: toConsentView(volunteer),
      readiness: toReadinessView(readiness, volunteer.matchableSince),
      bookings: (await this.bookings.ownBookings(volunteerId)).map(
        ({ courseId, status, position }) => ({ courseId, status, position }),
      ),
      calendarUrl: await this.calendarFeeds.pathFor(volunteer, portalToken),
    };
  }

  @Post('bookings')
  @UseGuards(ConsentedPortalGuard)
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  book(@CurrentVolunteerId() volunteerId: string, @Body() dto: OwnBookingDto) {
    return this.bookings.book({ kind: 'volunteer' }, dto.courseId, volunteerId);
  }

  @Delete('bookings/:courseId')
  @UseGuards(ConsentedPortalGuard)
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  @HttpCode(204)
  async cancel(@CurrentVolunteerId() volunteerId: string, @UuidParam('courseId') courseId: string) {
    await this.bookings.cancel({ kind: 'volunteer' }, courseId, volunteerId);
  }

  /**
   * The calendar link of this personal link when GET /api/v1/me gave none (the link is
   * older than the feed, or another link renewed it); every other calendar link of the
   * volunteer keeps working. Asking again answers the same link.
   */
  @Post('calendar')
  @UseGuards(ConsentedPortalGuard)
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  @HttpCode(201)
  async openCalendarLink(
    @CurrentVolunteerId() volunteerId: string,
    @CurrentPortalToken() portalToken: string,
  ) {
    return { calendarUrl: await this.calendarFeeds.openOwn(volunteerId, portalToken) };
  }

  /** A new calendar link; the old one stops working at once. */
  @Post('calendar-link')
  @UseGuards(ConsentedPortalGuard)
  @ApiForbiddenResponse(CONSENT_REQUIRED)
  @HttpCode(201)
  async renewCalendarLink(
    @CurrentVolunteerId() volunteerId: string,
    @CurrentPortalToken() portalToken: string,
  ) {
    return { calendarUrl: await this.calendarFeeds.renew(volunteerId, portalToken) };
  }
}
