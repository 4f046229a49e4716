import { Body, Controller, Get, Inject, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { CreateNoteDto } from './dto/create-note.dto';
import { UpdateVolunteerDto } from './dto/update-volunteer.dto';
import { VolunteerRecordService } from './volunteer-record.service';
import { toVolunteerView } from './volunteer.view';

@ApiTags('volunteers')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/volunteers')
export class VolunteerRecordApiController {
  constructor(
    private readonly record: VolunteerRecordService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Patch(':id')
  async update(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() dto: UpdateVolunteerDto,
  ) {
    return toVolunteerView(
      await this.record.update(actor, id, dto),
      this.config.attestationValidMonths,
    );
  }

  @Get(':id/notes')
  notes(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return this.record.notes(actor, id);
  }

  @Post(':id/notes')
  addNote(@CurrentActor() actor: Actor, @UuidParam() id: string, @Body() dto: CreateNoteDto) {
    return this.record.addNote(actor, id, dto);
  }

  @Get(':id/history')
  history(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return this.record.history(actor, id);
  }
}
