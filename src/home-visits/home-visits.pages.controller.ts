import { Controller, Get, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import {
  copenhagenInstant,
  Form,
  type PageForm,
  parseForm,
  text,
  ticked,
  toLocalInput,
} from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { chosenReason, DECLINE_REASONS } from '../volunteers/closing';
import { RecordOutcomeDto } from './dto/record-outcome.dto';
import { RescheduleHomeVisitDto } from './dto/reschedule-home-visit.dto';
import { ScheduleHomeVisitDto } from './dto/schedule-home-visit.dto';
import { HomeVisitsService } from './home-visits.service';

/** The home-visit forms of the volunteer's staff page, and their confirmation pages. */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Controller('staff/volunteers/:id/home-visits')
export class HomeVisitsPagesController {
  constructor(private readonly homeVisits: HomeVisitsService) {}

  @Post()
  @Redirect()
  schedule(@CurrentActor() actor: Actor, @UuidParam() volunteerId: string, @Form() form: PageForm) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = form.t('Hjemmebesøget er aftalt.', 'The home visit is scheduled.');
    return form.submit({ name: 'visit', back, done }, async () => {
      const dto = await parseForm(ScheduleHomeVisitDto, {
        scheduledAt: copenhagenInstant(form.body.scheduledAt),
      });
      await this.homeVisits.schedule(actor, volunteerId, dto);
      return back;
    });
  }

  @Post(':visitId/outcome')
  @Redirect()
  recordOutcome(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const declining = form.body.outcome === 'declined';
    const done = declining ? undefined : form.t('Udfaldet er gemt.', 'The outcome is saved.');
    return form.submit({ name: 'outcome', back, done }, async () => {
      await this.homeVisits.requireVisitOf(actor, volunteerId, visitId);
      const dto = await parseForm(RecordOutcomeDto, {
        outcome: form.body.outcome,
        heldAt: copenhagenInstant(text(form.body.heldAt)),
        notes: text(form.body.notes),
      });
      const confirmedHeldEarly = ticked(form.body.held);
      if (declining) {
        // A decline closes the application: the time is settled here, then it is
        // confirmed with a reason on a page of its own, which starts from this input.
        await this.homeVisits.checkHeldAt(actor, visitId, dto, { confirmedHeldEarly });
        form.req.session.formState = {
          form: 'decline',
          errors: [],
          values: { heldAt: form.body.heldAt, held: form.body.held, note: form.body.notes },
        };
        return `${back}/home-visits/${visitId}/decline`;
      }
      await this.homeVisits.recordOutcome(actor, visitId, dto, { confirmedHeldEarly });
      return back;
    });
  }

  /** What declining does (the application closes, bookings go), with the reason asked for. */
  @Get(':visitId/decline')
  @Render('home-visits/decline')
  async confirmDecline(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
  ) {
    const { visit, volunteer, bookings } = await this.homeVisits.getForPage(
      actor,
      volunteerId,
      visitId,
    );
    const now = new Date();
    const plannedLater = visit.scheduledAt > now;
    return {
      title: ['Afslå ansøgningen', 'Decline the application'],
      v: volunteer,
      visit,
      settled: visit.outcome !== null || visit.cancelledAt !== null,
      plannedLater,
      heldAtDefault: toLocalInput(plannedLater ? now : visit.scheduledAt),
      bookings,
      // The waitlist moves up behind a seat, but nobody moves into a started course.
      promoting: bookings.filter((b) => b.status === 'booked' && b.waiting > 0 && !b.started),
      reasons: DECLINE_REASONS,
    };
  }

  @Post(':visitId/decline')
  @Redirect()
  decline(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = form.t(
      'Ansøgningen er afslået, og personen har fået besked.',
      'The application is declined and the person has been told.',
    );
    return form.submit(
      { name: 'decline', back: `${back}/home-visits/${visitId}/decline`, done },
      async () => {
        await this.homeVisits.requireVisitOf(actor, volunteerId, visitId);
        const dto = await parseForm(RecordOutcomeDto, {
          outcome: 'declined',
          heldAt: copenhagenInstant(text(form.body.heldAt)),
          reason: chosenReason(DECLINE_REASONS, text(form.body.reason)),
          notes: text(form.body.note),
        });
        await this.homeVisits.recordOutcome(actor, visitId, dto, {
          confirmedHeldEarly: ticked(form.body.held),
        });
        return back;
      },
    );
  }

  @Post(':visitId/reschedule')
  @Redirect()
  reschedule(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = form.t(
      'Besøget er flyttet, og den frivillige har fået besked.',
      'The visit is moved and the volunteer has been told.',
    );
    return form.submit({ name: 'reschedule', back: `${back}#h-visit`, done }, async () => {
      await this.homeVisits.requireVisitOf(actor, volunteerId, visitId);
      const dto = await parseForm(RescheduleHomeVisitDto, {
        scheduledAt: copenhagenInstant(form.body.scheduledAt),
      });
      await this.homeVisits.reschedule(actor, visitId, dto);
      return back;
    });
  }

  @Get(':visitId/cancel')
  @Render('home-visits/cancel')
  async confirmCancel(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
  ) {
    const { visit, volunteer } = await this.homeVisits.getForPage(actor, volunteerId, visitId);
    return {
      title: ['Aflys hjemmebesøget', 'Cancel the home visit'],
      v: volunteer,
      visit,
      settled: visit.outcome !== null || visit.cancelledAt !== null,
    };
  }

  @Post(':visitId/cancel')
  @Redirect()
  cancel(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
    @Form() form: PageForm,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = form.t(
      'Besøget er aflyst, og den frivillige har fået besked.',
      'The visit is cancelled and the volunteer has been told.',
    );
    return form.submit(
      { name: 'visitCancel', back: `${back}/home-visits/${visitId}/cancel`, done },
      async () => {
        await this.homeVisits.requireVisitOf(actor, volunteerId, visitId);
        await this.homeVisits.cancel(actor, visitId);
        return back;
      },
    );
  }
}
