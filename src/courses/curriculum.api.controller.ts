import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { type CurriculumSnapshot, CurriculumService } from './curriculum.service';
import { UpdateCurriculumDto } from './dto/update-curriculum.dto';

const toCurriculumView = ({ requiredHours, topics }: CurriculumSnapshot) => ({
  requiredHours,
  topics: topics.map((t) => ({
    code: t.code,
    title: t.titleDa,
    titleEn: t.titleEn,
    mandatory: t.mandatory,
  })),
});

@ApiTags('curriculum')
@Controller('api/v1/curriculum')
export class CurriculumApiController {
  constructor(private readonly curriculum: CurriculumService) {}

  @Get()
  async get() {
    return toCurriculumView(await this.curriculum.get());
  }

  @Put()
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  @Roles('admin')
  async replace(@CurrentActor() actor: Actor, @Body() dto: UpdateCurriculumDto) {
    return toCurriculumView(await this.curriculum.replace(actor, dto));
  }
}
