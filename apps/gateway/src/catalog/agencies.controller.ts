import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService, type AgencyView } from '@levensloop/catalog';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { AgencyResponse, CreateAgencyDto, EndpointHostsDto } from './dto/agency.dto';
import { ApiProblems } from './dto/problem.response';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly catalog: CatalogService) {}

  @Post()
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Register an agency (catalog admins)' })
  @ApiCreatedResponse({ type: AgencyResponse })
  @ApiProblems(400, 403, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAgencyDto): Promise<AgencyView> {
    return this.catalog.as(principal.sub).createAgency(dto.code, dto.names, dto.endpointHosts, dto.serves);
  }

  @Put(':agency/endpoint-hosts')
  @Roles('catalog-admin')
  @ApiOperation({
    summary: "Replace the hosts the agency's automatic steps may call (catalog admins)",
    description: 'Drafts are checked against this list when saved and published (422 at /endpoint), and every call against the list of the moment.',
  })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiProblems(400, 403, 404, 422)
  setEndpointHosts(@CurrentPrincipal() principal: Principal, @Param('agency') agency: string, @Body() dto: EndpointHostsDto): Promise<AgencyView> {
    return this.catalog.as(principal.sub).setEndpointHosts(agency, dto.endpointHosts);
  }

  @Get()
  @ApiOperation({ summary: 'Every agency' })
  @ApiOkResponse({ type: [AgencyResponse] })
  list(): Promise<AgencyView[]> {
    return this.catalog.listAgencies();
  }

  @Get(':agency')
  @ApiOperation({ summary: 'One agency' })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiProblems(404)
  get(@Param('agency') agency: string): Promise<AgencyView> {
    return this.catalog.getAgency(agency);
  }
}
