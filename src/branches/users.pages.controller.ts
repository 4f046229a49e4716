import { Controller, Get, Post, Redirect, Render, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { UpdateUserDto } from '../auth/dto/update-user.dto';
import { StaffPageGuard } from '../auth/staff.guard';
import { UsersService } from '../auth/users.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Roles } from '../common/auth/decorators';
import { ConflictError, InvalidInputError } from '../common/errors';
import { Form, type PageForm, parseForm, text, ticked } from '../common/pages/forms';
import { UuidParam } from '../common/validation';
import { BranchesService } from './branches.service';

const CONFLICTS: Record<string, [string, string]> = {
  last_admin: [
    'Klar skal have mindst én aktiv administrator.',
    'Klar needs at least one active administrator.',
  ],
  user_self_deactivation: [
    'Du kan ikke deaktivere din egen konto.',
    'You cannot deactivate your own account.',
  ],
};

/**
 * An administrator's page for one staff user: name, role, branch, language, and whether
 * they may sign in (next to the users list, which needs the branches too).
 */
@ApiExcludeController()
@UseGuards(StaffPageGuard)
@Roles('admin')
@Controller('staff/users')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly branches: BranchesService,
  ) {}

  @Get(':id')
  @Render('admin/user')
  async userPage(@UuidParam() id: string) {
    const user = await this.users.view(id);
    return { title: user.name, user, branches: await this.branches.list() };
  }

  @Post(':id')
  @Redirect()
  update(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const done = form.t('Brugeren er gemt.', 'The user was saved.');
    const back = `/staff/users/${id}`;
    return form.submit({ name: 'user', back, done }, async () => {
      const { name, role, branchCode, language, active } = form.body;
      // "Ingen" left for a coordinator would otherwise read as "unchanged" and save.
      if (role === 'coordinator' && text(branchCode) === undefined) {
        throw new InvalidInputError([
          { field: 'branchCode', code: 'coordinatorNeedsBranch', message: 'branch required' },
        ]);
      }
      const dto = await parseForm(UpdateUserDto, {
        name,
        role,
        branchCode: role === 'coordinator' ? text(branchCode) : undefined,
        language,
        active: ticked(active),
      });
      await this.users.update(actor, id, dto).catch((error: unknown) => {
        const conflict = error instanceof ConflictError ? CONFLICTS[error.code] : undefined;
        if (conflict) {
          throw new InvalidInputError([
            { field: '', code: (error as ConflictError).code, message: form.t(...conflict) },
          ]);
        }
        throw error;
      });
      return '/staff/users';
    });
  }

  /** The confirmation step before a user is deactivated: what it does to them at once. */
  @Get(':id/deaktiver')
  @Render('admin/user-deactivate')
  async confirmDeactivate(@UuidParam() id: string) {
    const user = await this.users.view(id);
    return { title: user.name, user };
  }

  @Post(':id/deaktiver')
  @Redirect()
  deactivate(@CurrentActor() actor: Actor, @UuidParam() id: string, @Form() form: PageForm) {
    const done = form.t(
      'Brugeren er deaktiveret og logget ud alle steder.',
      'The user was deactivated and signed out everywhere.',
    );
    const back = `/staff/users/${id}/deaktiver`;
    return form.submit({ name: 'deactivate', back, done }, async () => {
      await this.users.update(actor, id, { active: false }).catch((error: unknown) => {
        const conflict = error instanceof ConflictError ? CONFLICTS[error.code] : undefined;
        if (error instanceof ConflictError && conflict) {
          throw new InvalidInputError([
            { field: '', code: error.code, message: form.t(...conflict) },
          ]);
        }
        throw error;
      });
      return `/staff/users/${id}`;
    });
  }
}
