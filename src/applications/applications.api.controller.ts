import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { APPLICATION_ACCEPTED, ApplicationsService } from './applications.service';
import { CreateApplicationDto } from './dto/create-application.dto';

@ApiTags('applications')
@Controller('api/v1/applications')
export class ApplicationsApiController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post()
  @HttpCode(202)
  async apply(@Body() dto: CreateApplicationDto) {
    await this.applications.apply(dto);
    return { message: APPLICATION_ACCEPTED };
  }
}
