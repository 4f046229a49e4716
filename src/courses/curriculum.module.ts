import { Module } from '@nestjs/common';
import { CurriculumApiController } from './curriculum.api.controller';
import { CurriculumService } from './curriculum.service';

@Module({
  controllers: [CurriculumApiController],
  providers: [CurriculumService],
  exports: [CurriculumService],
})
export class CurriculumModule {}
