import { Body, Controller, HttpCode, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { toHomeVisitView } from '../volunteers/volunteer.view';
import { RecordOutcomeDto } from './dto/record-outcome.dto';
import { RescheduleHomeVisitDto } from './dto/reschedule-home-visit.dto';
import { ScheduleHomeVisitDto } from './dto/schedule-home-visit.dto';
import { HomeVisitsService } from './home-visits.service';

@ApiTags('home visits')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1')
export class HomeVisitsApiController {
  constructor(private readonly homeVisits: HomeVisitsService) {}

  @Post('volunteers/:id/home-visits')
  async schedule(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Body() dto: ScheduleHomeVisitDto,
  ) {
    return toHomeVisitView(await this.homeVisits.schedule(actor, volunteerId, dto));
  }

  @Post('home-visits/:id/outcome')
  @HttpCode(200)
  async recordOutcome(
    @CurrentActor() actor: Actor,
    @UuidParam() visitId: string,
    @Body() dto: RecordOutcomeDto,
  ) {
    return toHomeVisitView(await this.homeVisits.recordOutcome(actor, visitId, dto));
  }

  @Patch('home-visits/:id')
  async reschedule(
    @CurrentActor() actor: Actor,
    @UuidParam() visitId: string,
    @Body() dto: RescheduleHomeVisitDto,
  ) {
    return toHomeVisitView(await this.homeVisits.reschedule(actor, visitId, dto));
  }

  @Post('home-visits/:id/cancel')
  @HttpCode(200)
  async cancel(@CurrentActor() actor: Actor, @UuidParam() visitId: string) {
    return toHomeVisitView(await this.homeVisits.cancel(actor, visitId));
  }
}
