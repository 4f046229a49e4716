import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Ip,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import {
  type AuthenticatedRequest,
  bearerToken,
  CurrentActor,
  Roles,
} from '../common/auth/decorators';
import { toIsoWithOffset } from '../common/dates';
import { UuidParam } from '../common/validation';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { IssueTokenDto } from './dto/issue-token.dto';
import { UpdateOwnAccountDto, UpdateUserDto } from './dto/update-user.dto';
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

  /** Signs this token out; the guard has just found it valid. */
  @Delete('auth/token')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async revokeToken(@Req() req: AuthenticatedRequest): Promise<void> {
    await this.auth.revokeToken(bearerToken(req)!);
  }

  @Post('auth/password')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() dto: ChangePasswordDto,
    @Req() req: AuthenticatedRequest,
    @Ip() address: string,
  ): Promise<void> {
    await this.auth.changePassword(actor, dto, { token: bearerToken(req) }, address);
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

  // Before users/:id, which would take "me" for an id.
  @Patch('users/me')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  updateOwnAccount(@CurrentActor() actor: Actor, @Body() dto: UpdateOwnAccountDto) {
    return this.users.updateOwn(actor, dto);
  }

  @Patch('users/:id')
  @ApiBearerAuth()
  @UseGuards(StaffGuard)
  @Roles('admin')
  updateUser(@CurrentActor() actor: Actor, @UuidParam() id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(actor, id, dto);
  }
}
