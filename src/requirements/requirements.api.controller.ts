import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import {
  CreateRequirementDto,
  RecordRequirementDto,
  RequirementDto,
  RequirementOnRecordDto,
} from './dto/requirement.dto';
import { RequirementsService } from './requirements.service';

@ApiTags('requirements')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1')
export class RequirementsApiController {
  constructor(private readonly requirements: RequirementsService) {}

  @Get('requirements')
  @ApiOkResponse({ type: [RequirementDto] })
  list() {
    return this.requirements.list();
  }

  @Post('requirements')
  @Roles('admin')
  @ApiCreatedResponse({ type: RequirementDto })
  @ApiConflictResponse({
    description:
      "The key is taken or is a built-in requirement's (`requirement_key_taken`, `requirement_key_built_in`)",
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRequirementDto) {
    return this.requirements.create(actor, dto);
  }

  @Post('volunteers/:id/requirements/:key')
  @ApiCreatedResponse({ type: RequirementOnRecordDto })
  @ApiNotFoundResponse({ description: 'No such volunteer (or in another branch) or requirement' })
  @ApiConflictResponse({
    description:
      'Already met, met by a reading confirmation instead, or the application is not active',
  })
  record(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Param('key') key: string,
    @Body() dto: RecordRequirementDto,
  ) {
    return this.requirements.record(actor, volunteerId, key, dto);
  }

  @Delete('volunteers/:id/requirements/:key')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The record removed; readiness derived again' })
  @ApiNotFoundResponse({ description: 'No such volunteer, requirement or record' })
  async unrecord(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Param('key') key: string,
  ): Promise<void> {
    await this.requirements.unrecord(actor, volunteerId, key);
  }
}
