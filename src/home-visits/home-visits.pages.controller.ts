import { Controller, Post, Redirect, UseGuards } from '@nestjs/common';
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
} from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { RecordOutcomeDto } from './dto/record-outcome.dto';
import { ScheduleHomeVisitDto } from './dto/schedule-home-visit.dto';
import { HomeVisitsService } from './home-visits.service';

/** The home-visit forms of the volunteer's staff page. */
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
    const done = form.t('Udfaldet er gemt.', 'The outcome is saved.');
    return form.submit({ name: 'outcome', back, done }, async () => {
      const dto = await parseForm(RecordOutcomeDto, {
        outcome: form.body.outcome,
        heldAt: copenhagenInstant(text(form.body.heldAt)),
        notes: text(form.body.notes),
      });
      await this.homeVisits.recordOutcome(actor, visitId, dto, {
        confirmedHeldEarly: ticked(form.body.held),
      });
      return back;
    });
  }
}
