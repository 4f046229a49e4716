import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequestPasswordResetDto } from './dto/request-password-reset.dto';
import { PasswordResetService } from './password-reset.service';

@ApiTags('auth')
@Controller('api/v1')
export class PasswordResetApiController {
  constructor(private readonly resets: PasswordResetService) {}

  /** The same 202 whatever the address, so the answer never tells who has an account. */
  @Post('auth/password-reset')
  @HttpCode(202)
  async request(@Body() dto: RequestPasswordResetDto, @Ip() client: string) {
    await this.resets.request(dto.email, client);
    return {
      message:
        'If the address belongs to an active staff account, a link to set a new password is on its way',
    };
  }
}
