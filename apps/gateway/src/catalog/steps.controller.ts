import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService, type OfferedByView, type StepVersionView } from '@levensloop/catalog';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { assertCanManageSteps, VersionPipe } from './catalog-access';
import { STEP_EXAMPLES } from './dto/examples';
import { OfferedByQuery, OfferedByResponse } from './dto/agency-role.dto';
import { ApiProblems } from './dto/problem.response';
import { StepDefinitionDto, StepVersionResponse, StepVersionsQuery } from './dto/step.dto';

/** Service steps of an agency. Writes: catalog admins, or agency admins of that agency. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('agencies/:agency/steps')
export class StepsController {
  constructor(private readonly catalog: CatalogService) {}

  @Post()
  @Roles('catalog-admin', 'agency-admin')
  @ApiOperation({ summary: 'Create a draft: a new step, or the next version of an existing one' })
  @ApiBody({ type: StepDefinitionDto, examples: STEP_EXAMPLES })
  @ApiCreatedResponse({ type: StepVersionResponse })
  @ApiProblems(400, 403, 404, 422)
  create(@CurrentPrincipal() principal: Principal, @Param('agency') agency: string, @Body() dto: StepDefinitionDto): Promise<StepVersionView> {
    assertCanManageSteps(principal, agency);
    return this.catalog.as(principal.sub).createStepDraft(agency, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The latest version of every step of the agency' })
  @ApiOkResponse({ type: [StepVersionResponse] })
  @ApiProblems(404)
  list(@Param('agency') agency: string): Promise<StepVersionView[]> {
    return this.catalog.listSteps(agency);
  }

  @Get(':key')
  @ApiOperation({ summary: 'Every version of a step, oldest first' })
  @ApiOkResponse({ type: [StepVersionResponse] })
  @ApiProblems(404)
  versions(@Param('agency') agency: string, @Param('key') key: string): Promise<StepVersionView[]> {
    return this.catalog.listStepVersions(agency, key);
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: 'One version of a step' })
  @ApiOkResponse({ type: StepVersionResponse })
  @ApiProblems(400, 404)
  get(@Param('agency') agency: string, @Param('key') key: string, @Param('version', VersionPipe) version: number): Promise<StepVersionView> {
    return this.catalog.getStep(agency, key, version);
  }

  @Put(':key/versions/:version')
  @Roles('catalog-admin', 'agency-admin')
  @ApiOperation({ summary: 'Replace a draft (published and retired versions are immutable: 409)' })
  @ApiBody({ type: StepDefinitionDto, examples: STEP_EXAMPLES })
  @ApiOkResponse({ type: StepVersionResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('agency') agency: string,
    @Param('key') key: string,
    @Param('version', VersionPipe) version: number,
    @Body() dto: StepDefinitionDto,
  ): Promise<StepVersionView> {
    assertCanManageSteps(principal, agency);
    return this.catalog.as(principal.sub).updateStepDraft(agency, key, version, dto);
  }

  @Post(':key/versions/:version/publish')
  @HttpCode(200)
  @Roles('catalog-admin', 'agency-admin')
  @ApiOperation({ summary: 'Publish a draft; it can then be used in life events and never changes again' })
  @ApiOkResponse({ type: StepVersionResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  publish(@CurrentPrincipal() principal: Principal, @Param('agency') agency: string, @Param('key') key: string, @Param('version', VersionPipe) version: number): Promise<StepVersionView> {
    assertCanManageSteps(principal, agency);
    return this.catalog.as(principal.sub).publishStep(agency, key, version);
  }

  @Post(':key/versions/:version/retire')
  @HttpCode(200)
  @Roles('catalog-admin', 'agency-admin')
  @ApiOperation({ summary: 'Retire a published version: new life events cannot use it; existing ones keep working' })
  @ApiOkResponse({ type: StepVersionResponse })
  @ApiProblems(400, 403, 404, 409)
  retire(@CurrentPrincipal() principal: Principal, @Param('agency') agency: string, @Param('key') key: string, @Param('version', VersionPipe) version: number): Promise<StepVersionView> {
    assertCanManageSteps(principal, agency);
    return this.catalog.as(principal.sub).retireStep(agency, key, version);
  }
}

/** Every agency's step versions at once, e.g. the published ones a life event may use. Any signed-in role. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('steps')
export class AllStepsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'Every version of every step, by agency, key and version; ?status=published gives what a life event may use' })
  @ApiOkResponse({ type: [StepVersionResponse] })
  @ApiProblems(400)
  list(@Query() q: StepVersionsQuery): Promise<StepVersionView[]> {
    return this.catalog.listAllStepVersions(q.status);
  }

  @Get(':key/offered-by')
  @ApiOperation({
    summary: 'Which agencies serving a role offer a step (e.g. which municipalities offer register-new-resident), and which do not yet',
    description: 'A life event may name a step by agencyRole; each journey runs it at the agency serving its subject (the address register gives the municipality). A subject whose agency is in notOfferedBy gets the step as needing attention.',
  })
  @ApiOkResponse({ type: OfferedByResponse })
  @ApiProblems(400)
  offeredBy(@Param('key') key: string, @Query() q: OfferedByQuery): Promise<OfferedByView> {
    return this.catalog.offeredBy(key, q.role);
  }
}
