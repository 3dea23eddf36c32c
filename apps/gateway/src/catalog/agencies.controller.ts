import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService, type AgencyView } from '@levensloop/catalog';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { AgencyResponse, CreateAgencyDto } from './dto/agency.dto';
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
    return this.catalog.as(principal.sub).createAgency(dto.code, dto.names);
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
