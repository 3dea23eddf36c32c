import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService, type TeamView } from '@levensloop/catalog';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden } from '../common/problem';
import { ApiProblems } from './dto/problem.response';
import { RegisterTeamDto, TeamResponse } from './dto/team.dto';

/**
 * An agency's teams, as catalog data: a step's `team` and a supervisor's reassignment name one of
 * them (once the agency has any). Registered by catalog admins or the agency's own admins; audited.
 */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('agencies/:agency/teams')
export class AgencyTeamsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: "The agency's teams, by code", description: 'A step may name one of them (`team`), and a supervisor reassigns a task to one.' })
  @ApiOkResponse({ type: [TeamResponse] })
  @ApiProblems(404)
  list(@Param('agency') agency: string): Promise<TeamView[]> {
    return this.catalog.listTeams(agency);
  }

  @Post()
  @Roles('catalog-admin', 'agency-admin')
  @ApiOperation({
    summary: 'Register a team of the agency (catalog admins, or agency admins of that agency)',
    description: 'A code and a name in each of nl, fr, de and en. A team is registered once (409 when the agency has it); 422 lists what to fix.',
  })
  @ApiCreatedResponse({ type: TeamResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  register(@CurrentPrincipal() principal: Principal, @Param('agency') agency: string, @Body() dto: RegisterTeamDto): Promise<TeamView> {
    if (!hasRole(principal, 'catalog-admin') && principal.agency !== agency) {
      throw forbidden(`You are an agency admin of '${principal.agency ?? '(none)'}', so you cannot register teams of '${agency}'.`);
    }
    return this.catalog.as(principal.sub).registerTeam(agency, dto);
  }
}
