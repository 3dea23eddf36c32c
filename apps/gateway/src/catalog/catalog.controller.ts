import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService } from '@levensloop/catalog';
import type { LifeEventDefinition, ServiceStepDefinition } from '@levensloop/domain';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import { hasRole, type Principal } from '../auth/principal';
import { forbidden, ProblemException } from '../common/problem';
import { CreateAgencyDto, LifeEventDefinitionDto, StepDefinitionDto } from './catalog.dto';

const versionPipe = new ParseIntPipe({
  exceptionFactory: () => new ProblemException(400, 'The version in the path must be a whole number.', { slug: 'invalid-version' }),
});

/** An agency admin manages the steps of their own agency; a catalog admin manages everything. */
function requireStepAdmin(p: Principal, agency: string) {
  if (hasRole(p, 'catalog-admin')) return;
  if (hasRole(p, 'agency-admin') && p.agency === agency) return;
  throw forbidden(`Managing the steps of ${agency} needs the role catalog-admin, or agency-admin of ${agency}.`);
}

@ApiTags('catalog')
@ApiBearerAuth()
@Controller()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Post('agencies')
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Register an agency' })
  createAgency(@Body() dto: CreateAgencyDto) {
    return this.catalog.createAgency(dto.code, dto.names);
  }

  @Get('agencies')
  listAgencies() {
    return this.catalog.listAgencies();
  }

  @Get('agencies/:agency')
  getAgency(@Param('agency') agency: string) {
    return this.catalog.getAgency(agency);
  }

  @Post('agencies/:agency/steps')
  @ApiOperation({ summary: 'Create a draft version of a service step (a new step, or the next version of one)' })
  createStep(@CurrentPrincipal() p: Principal, @Param('agency') agency: string, @Body() dto: StepDefinitionDto) {
    requireStepAdmin(p, agency);
    return this.catalog.createStepDraft(agency, { ...dto, agency } as ServiceStepDefinition);
  }

  @Get('agencies/:agency/steps')
  @ApiOperation({ summary: 'The latest version of every step of an agency' })
  listSteps(@Param('agency') agency: string) {
    return this.catalog.listSteps(agency);
  }

  @Get('agencies/:agency/steps/:key')
  @ApiOperation({ summary: 'Every version of a step' })
  stepVersions(@Param('agency') agency: string, @Param('key') key: string) {
    return this.catalog.listStepVersions(agency, key);
  }

  @Get('agencies/:agency/steps/:key/versions/:version')
  getStep(@Param('agency') agency: string, @Param('key') key: string, @Param('version', versionPipe) version: number) {
    return this.catalog.getStep(agency, key, version);
  }

  @Put('agencies/:agency/steps/:key/versions/:version')
  @ApiOperation({ summary: 'Change a draft (published versions are immutable)' })
  updateStep(@CurrentPrincipal() p: Principal, @Param('agency') agency: string, @Param('key') key: string, @Param('version', versionPipe) version: number, @Body() dto: StepDefinitionDto) {
    requireStepAdmin(p, agency);
    return this.catalog.updateStepDraft(agency, key, version, { ...dto, agency } as ServiceStepDefinition);
  }

  @Post('agencies/:agency/steps/:key/versions/:version/publish')
  @HttpCode(200)
  publishStep(@CurrentPrincipal() p: Principal, @Param('agency') agency: string, @Param('key') key: string, @Param('version', versionPipe) version: number) {
    requireStepAdmin(p, agency);
    return this.catalog.publishStep(agency, key, version);
  }

  @Post('agencies/:agency/steps/:key/versions/:version/retire')
  @HttpCode(200)
  retireStep(@CurrentPrincipal() p: Principal, @Param('agency') agency: string, @Param('key') key: string, @Param('version', versionPipe) version: number) {
    requireStepAdmin(p, agency);
    return this.catalog.retireStep(agency, key, version);
  }

  @Post('life-events')
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Create a draft version of a life event (validated: references, graph, conditions)' })
  createLifeEvent(@Body() dto: LifeEventDefinitionDto) {
    return this.catalog.createLifeEventDraft(dto as LifeEventDefinition);
  }

  @Get('life-events')
  listLifeEvents() {
    return this.catalog.listLifeEvents();
  }

  @Get('life-events/:key')
  lifeEventVersions(@Param('key') key: string) {
    return this.catalog.listLifeEventVersions(key);
  }

  @Get('life-events/:key/versions/:version')
  getLifeEvent(@Param('key') key: string, @Param('version', versionPipe) version: number) {
    return this.catalog.getLifeEvent(key, version);
  }

  @Put('life-events/:key/versions/:version')
  @Roles('catalog-admin')
  updateLifeEvent(@Param('key') key: string, @Param('version', versionPipe) version: number, @Body() dto: LifeEventDefinitionDto) {
    return this.catalog.updateLifeEventDraft(key, version, dto as LifeEventDefinition);
  }

  @Post('life-events/:key/versions/:version/publish')
  @Roles('catalog-admin')
  @HttpCode(200)
  publishLifeEvent(@Param('key') key: string, @Param('version', versionPipe) version: number) {
    return this.catalog.publishLifeEvent(key, version);
  }

  @Post('life-events/:key/versions/:version/retire')
  @Roles('catalog-admin')
  @HttpCode(200)
  retireLifeEvent(@Param('key') key: string, @Param('version', versionPipe) version: number) {
    return this.catalog.retireLifeEvent(key, version);
  }
}
