import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { SupervisorContactsDto, SupervisorContactsResponse } from './supervisors.dto';
import { SupervisorsService } from './supervisors.service';

/** Where an agency's escalations are e-mailed: its supervisors, each for the whole agency or for some of its teams. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('agencies')
export class SupervisorsController {
  constructor(private readonly supervisors: SupervisorsService) {}

  @Get(':agency/supervisors')
  @Roles('catalog-admin', 'agency-admin', 'supervisor', 'auditor')
  @ApiOperation({
    summary: "The agency's supervisors: who is e-mailed when one of its steps escalates (catalog admins, auditors, the agency's own admins and supervisors)",
  })
  @ApiOkResponse({ type: SupervisorContactsResponse })
  @ApiProblems(403, 404)
  list(@CurrentPrincipal() p: Principal, @Param('agency') agency: string) {
    return this.supervisors.list(p, agency);
  }

  @Put(':agency/supervisors')
  @Roles('catalog-admin', 'agency-admin')
  @ApiOperation({
    summary: "Replace the agency's supervisors (catalog admins; an agency admin for their own agency), audited",
    description:
      'When a step of the agency passes its escalation point, each supervisor without teams, and each whose teams include the queue of the step\'s task, gets an e-mail in their ' +
      'language (once per escalation) with a link to the console\'s supervision page, besides the notice in `GET /supervision/notices`.',
  })
  @ApiOkResponse({ type: SupervisorContactsResponse })
  @ApiProblems(400, 403, 404, 422)
  replace(@CurrentPrincipal() p: Principal, @Param('agency') agency: string, @Body() dto: SupervisorContactsDto) {
    return this.supervisors.replace(p, agency, dto);
  }
}
