import { Controller, Get, Param, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { NotFoundError } from '../common/errors';
import { portalSteps } from './portal-steps';
import { VolunteersService } from './volunteers.service';

@ApiExcludeController()
@Controller('v')
export class VolunteersPagesController {
  constructor(private readonly volunteers: VolunteersService) {}

  /** Where a link without its token lands (calendar events point here). */
  @Get()
  @Render('volunteers/no-link')
  noLink() {
    return { title: 'Din personlige side' };
  }

  /** The personal page behind the private link sent by email. */
  @Get(':token')
  @Render('volunteers/portal')
  async portal(@Param('token') token: string) {
    const volunteer = token.length <= 200 ? await this.volunteers.findByPortalToken(token) : null;
    if (!volunteer) {
      throw new NotFoundError('Personal page');
    }
    const { readiness, branch, coordinators } = await this.volunteers.ownView(volunteer.id);
    const steps = portalSteps(readiness);
    return {
      title: 'Din side',
      firstName: volunteer.firstName,
      branchName: branch.name,
      steps,
      stepCount: steps.length,
      metCount: steps.filter((s) => s.met).length,
      matchable: readiness.matchable,
      closed: volunteer.status !== 'active',
      coordinators,
    };
  }
}
