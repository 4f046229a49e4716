import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { CreateRequirementDto, RecordRequirementDto } from './dto/requirement.dto';
import { RequirementsService } from './requirements.service';

@ApiTags('requirements')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1')
export class RequirementsApiController {
  constructor(private readonly requirements: RequirementsService) {}

  @Get('requirements')
  list() {
    return this.requirements.list();
  }

  @Post('requirements')
  @Roles('admin')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRequirementDto) {
    return this.requirements.create(actor, dto);
  }

  @Post('volunteers/:id/requirements/:key')
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
  async unrecord(
    @CurrentActor() actor: Actor,
    @UuidParam() volunteerId: string,
    @Param('key') key: string,
  ): Promise<void> {
    await this.requirements.unrecord(actor, volunteerId, key);
  }
}
