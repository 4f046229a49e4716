import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { toIsoWithOffset } from '../common/dates';
import { AuthService } from './auth.service';
import { CreateUserDto } from './dto/create-user.dto';
import { IssueTokenDto } from './dto/issue-token.dto';
import { StaffGuard } from './staff.guard';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('api/v1')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/token')
  @HttpCode(201)
  async issueToken(@Body() dto: IssueTokenDto, @Ip() address: string) {
    const { token, expiresAt } = await this.auth.issueToken(dto.email, dto.password, address);
    return { token, expiresAt: toIsoWithOffset(expiresAt) };
  }

  @Post('users')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  @Roles('admin')
  async createUser(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto) {
    const user = await this.users.create(actor, dto);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      branchCode: user.branchCode,
    };
  }
}
