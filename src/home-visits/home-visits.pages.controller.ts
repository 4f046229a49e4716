import { Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StaffPageGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import {
  copenhagenInstant,
  type FormBody,
  parseForm,
  submitForm,
  text,
} from '../common/pages/forms';
import { inLang, langOf } from '../common/pages/web';
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
  async schedule(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = inLang(langOf(req), 'Hjemmebesøget er aftalt.', 'The home visit is scheduled.');
    await submitForm(req, res, { name: 'visit', back, values: body, done }, async () => {
      const dto = await parseForm(ScheduleHomeVisitDto, {
        scheduledAt: copenhagenInstant(body.scheduledAt),
      });
      await this.homeVisits.schedule(actor, volunteerId, dto);
      return back;
    });
  }

  @Post(':visitId/outcome')
  async recordOutcome(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @UuidParam('visitId') visitId: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const back = `/staff/volunteers/${volunteerId}`;
    const done = inLang(langOf(req), 'Udfaldet er gemt.', 'The outcome is saved.');
    await submitForm(req, res, { name: 'outcome', back, values: body, done }, async () => {
      const dto = await parseForm(RecordOutcomeDto, {
        outcome: body.outcome,
        notes: text(body.notes),
      });
      await this.homeVisits.recordOutcome(actor, visitId, dto);
      return back;
    });
  }
}
