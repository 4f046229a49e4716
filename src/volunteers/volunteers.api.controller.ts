import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { WithdrawDto } from './dto/close-application.dto';
import { ListVolunteersQuery } from './dto/list-volunteers.query';
import { toVolunteerView } from './volunteer.view';
import { VolunteersService } from './volunteers.service';

@ApiTags('volunteers')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/volunteers')
export class VolunteersApiController {
  constructor(
    private readonly volunteers: VolunteersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListVolunteersQuery) {
    return this.volunteers.list(actor, query);
  }

  @Get(':id')
  async detail(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return toVolunteerView(
      await this.volunteers.detail(actor, id),
      this.config.attestationValidMonths,
    );
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  async withdraw(@CurrentActor() actor: Actor, @UuidParam() id: string, @Body() dto: WithdrawDto) {
    return toVolunteerView(
      await this.volunteers.withdraw(actor, id, dto),
      this.config.attestationValidMonths,
    );
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  async reactivate(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return toVolunteerView(
      await this.volunteers.reactivate(actor, id),
      this.config.attestationValidMonths,
    );
  }
}
