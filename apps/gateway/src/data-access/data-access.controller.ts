import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { DataAccessPageResponse, DataAccessQuery, JourneyDataAccessQuery, MyDataAccessQuery, StepDataQuery } from './data-access.dto';
import { DataAccessService } from './data-access.service';
import { readerLanguage } from './reading';

@ApiTags('data use')
@ApiBearerAuth()
@Controller()
export class DataAccessController {
  constructor(private readonly access: DataAccessService) {}

  @Get('me/data-access')
  @Roles('citizen')
  @ApiOperation({ summary: 'Who consulted my data (and that of whoever I represent), when and why; newest first' })
  mine(@CurrentPrincipal() p: Principal, @Query() q: MyDataAccessQuery, @Headers('accept-language') accept?: string) {
    return this.access.mine(p, q, readerLanguage(q.lang, accept));
  }

  @Get('data-access')
  @Roles('auditor')
  @ApiOperation({ summary: 'The whole data-access log, for auditors only; filter by subject, journey, agency, outcome' })
  @ApiProblems(400, 403)
  all(@CurrentPrincipal() p: Principal, @Query() q: DataAccessQuery, @Headers('accept-language') accept?: string) {
    return this.access.all(p, q, readerLanguage(q.lang, accept));
  }

  @Get('journeys/:id/data-access')
  @ApiOperation({
    summary: "Who read this journey's data (which agency or caseworker, for which step, which fields, why, on what basis, when); newest first",
    description: 'For whoever may see the journey (as GET /journeys/{id}): its subject and their mandate holders (within the mandate\'s life events), caseworkers of an agency with a step in it, and auditors; anyone else gets 404.',
  })
  @ApiOkResponse({ type: DataAccessPageResponse })
  @ApiProblems(400, 404)
  journey(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: JourneyDataAccessQuery, @Headers('accept-language') accept?: string) {
    return this.access.ofJourney(p, id, q, readerLanguage(q.lang, accept));
  }

  @Get('journeys/:id/steps/:node/data')
  @Roles('caseworker')
  @ApiOperation({ summary: "A caseworker of the step's agency reads fields the step declared (each read logged; others refused and logged)" })
  stepData(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('node') node: string,
    @Query() q: StepDataQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.access.readStepData(p, id, node, q.fields, readerLanguage(q.lang, accept));
  }
}
