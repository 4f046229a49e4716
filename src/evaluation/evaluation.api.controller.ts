import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags } from '@nestjs/swagger';
import { StaffGuard } from '../auth/staff.guard';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, CurrentVolunteerId } from '../common/auth/decorators';
import { UuidParam } from '../common/validation';
import { ConsentedPortalGuard } from '../portal/portal.guard';
import { CONSENT_REQUIRED } from '../privacy/consent';
import { SubmitEvaluationDto } from './dto/evaluation.dto';
import { EvaluationService } from './evaluation.service';

@ApiTags('evaluation')
@ApiBearerAuth()
@UseGuards(ConsentedPortalGuard)
@ApiForbiddenResponse(CONSENT_REQUIRED)
@Controller('api/v1/me/evaluations')
export class MyEvaluationsApiController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Get()
  list(@CurrentVolunteerId() volunteerId: string) {
    return this.evaluation.mine(volunteerId);
  }

  @Post()
  submit(@CurrentVolunteerId() volunteerId: string, @Body() dto: SubmitEvaluationDto) {
    return this.evaluation.submit(volunteerId, dto);
  }
}

@ApiTags('evaluation')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/courses')
export class CourseEvaluationApiController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Get(':id/evaluation')
  forCourse(@CurrentActor() actor: Actor, @UuidParam() courseId: string) {
    return this.evaluation.forCourse(actor, courseId);
  }
}
