import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

@ApiExcludeController()
@Controller('v')
export class VolunteersPagesController {
  /** Where a link without its token lands (calendar events point here). */
  @Get()
  @Render('volunteers/no-link')
  noLink() {
    return { title: 'Din personlige side' };
  }
}
