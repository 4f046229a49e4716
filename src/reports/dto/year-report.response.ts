import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI of `GET /api/v1/reports/year` (the JSON; with `format` the same as a file). */
class WithdrawnByStageDto {
  @ApiProperty({ type: 'integer' })
  applied: number;

  @ApiProperty({ type: 'integer' })
  visit_scheduled: number;

  @ApiProperty({ type: 'integer' })
  approved: number;

  @ApiProperty({ type: 'integer' })
  matchable: number;
}

export class YearFiguresDto {
  @ApiProperty({ type: 'integer', description: 'New applications' })
  applications: number;

  @ApiProperty({ type: 'integer', description: 'Home visits held (with an outcome)' })
  homeVisits: number;

  @ApiProperty({ type: 'integer' })
  approved: number;

  @ApiProperty({ type: 'integer' })
  declined: number;

  @ApiProperty({ type: 'integer', description: 'Child certificates obtained without entries' })
  attestations: number;

  @ApiProperty({ type: 'integer' })
  coursesHeld: number;

  @ApiProperty({ description: 'Course hours delivered' })
  courseHours: number;

  @ApiProperty({ type: 'integer', description: 'Volunteers who completed the course' })
  completedCourse: number;

  @ApiProperty({
    type: 'integer',
    description: 'The latest of approval, certificate, course and every extra requirement',
  })
  becameMatchable: number;

  @ApiProperty({ type: 'integer' })
  withdrawn: number;

  @ApiProperty({ type: WithdrawnByStageDto, description: 'The withdrawn by the step reached then' })
  withdrawnByStage: WithdrawnByStageDto;

  @ApiProperty({ type: Number, nullable: true })
  medianDaysToMatchable: number | null;
}

class EvaluationStatementDto {
  @ApiProperty()
  key: string;

  @ApiProperty({ description: 'The statement in Danish' })
  text: string;

  @ApiProperty()
  textEn: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Hidden (null) under 3 answers' })
  average: number | null;
}

class YearEvaluationDto {
  @ApiProperty({ type: 'integer' })
  responses: number;

  @ApiProperty({ type: [EvaluationStatementDto] })
  statements: EvaluationStatementDto[];
}

export class YearReportDto {
  @ApiProperty({ type: 'integer' })
  year: number;

  @ApiProperty({ type: String, nullable: true, description: 'null: the national totals' })
  branchCode: string | null;

  @ApiProperty({ type: YearFiguresDto })
  figures: YearFiguresDto;

  @ApiProperty({ type: YearFiguresDto })
  previousYear: YearFiguresDto;

  @ApiProperty({ type: YearEvaluationDto })
  evaluation: YearEvaluationDto;
}
