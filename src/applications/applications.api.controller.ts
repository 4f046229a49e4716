import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { APPLICATION_ACCEPTED, ApplicationsService, LINK_REQUESTED } from './applications.service';
import { CreateApplicationDto } from './dto/create-application.dto';
import { RequestLinkDto } from './dto/request-link.dto';

@ApiTags('applications')
@Controller('api/v1')
export class ApplicationsApiController {
  constructor(private readonly applications: ApplicationsService) {}

  @Post('applications')
  @HttpCode(202)
  async apply(@Body() dto: CreateApplicationDto, @Ip() client: string) {
    const { branch } = await this.applications.apply(dto, client);
    return { message: APPLICATION_ACCEPTED, branch: { code: branch.code, name: branch.name } };
  }

  /** Mails a fresh personal link to a known volunteer; the same 202 for any address. */
  @Post('portal-links')
  @HttpCode(202)
  async requestLink(@Body() dto: RequestLinkDto, @Ip() client: string) {
    await this.applications.requestLink(dto.email, client);
    return { message: LINK_REQUESTED };
  }
}
