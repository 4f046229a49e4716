import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiJsonOrFile } from '../common/export/dto/export-format.query';
import { sendExport } from '../common/export/spreadsheet';
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

  /** A page of JSON, or with `format` every matching row as a CSV or XLSX download. */
  @Get()
  @ApiJsonOrFile(
    { type: 'object', description: '{items, total} (api.md)' },
    'A page of JSON; with `format` every matching row as a CSV or XLSX download',
  )
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListVolunteersQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (query.format) {
      sendExport(res, await this.volunteers.exportList(actor, query, query.format));
      return;
    }
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
