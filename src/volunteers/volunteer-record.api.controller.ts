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
import { toIsoWithOffset } from '../common/dates';
import type { NoteRow } from './volunteer-record.repository';
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
  async notes(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return (await this.record.notes(actor, id)).map(noteInApi);
  }

  @Post(':id/notes')
  async addNote(@CurrentActor() actor: Actor, @UuidParam() id: string, @Body() dto: CreateNoteDto) {
    return noteInApi(await this.record.addNote(actor, id, dto));
  }

  @Get(':id/history')
  async history(@CurrentActor() actor: Actor, @UuidParam() id: string) {
    return (await this.record.history(actor, id)).map((e) => ({ ...e, at: toIsoWithOffset(e.at) }));
  }
}

/** Times in the API carry Copenhagen's offset, as the rest of the record does. */
const noteInApi = (note: NoteRow) => ({ ...note, createdAt: toIsoWithOffset(note.createdAt) });
