import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurriculumService } from './curriculum.service';

@ApiTags('curriculum')
@Controller('api/v1/curriculum')
export class CurriculumApiController {
  constructor(private readonly curriculum: CurriculumService) {}

  @Get()
  async get() {
    const { requiredHours, topics } = await this.curriculum.get();
    return {
      requiredHours,
      topics: topics.map((t) => ({
        code: t.code,
        title: t.titleDa,
        titleEn: t.titleEn,
        mandatory: t.mandatory,
      })),
    };
  }
}
