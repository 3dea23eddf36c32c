import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService, type LifeEventVersionView } from '@levensloop/catalog';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { VersionPipe } from './catalog-access';
import { LifeEventDefinitionDto, LifeEventVersionResponse } from './dto/life-event.dto';
import { LIFE_EVENT_EXAMPLES } from './dto/examples';
import { ApiProblems } from './dto/problem.response';
import { LifeEventListQuery } from './preview/life-event-list.query';

/** Life events: graphs of published steps. Writes: catalog admins. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('life-events')
export class LifeEventsController {
  constructor(private readonly catalog: CatalogService) {}

  @Post()
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Create a draft (validated: step references, dependency graph, conditions, triggers)' })
  @ApiBody({ type: LifeEventDefinitionDto, examples: LIFE_EVENT_EXAMPLES })
  @ApiCreatedResponse({ type: LifeEventVersionResponse })
  @ApiProblems(400, 403, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: LifeEventDefinitionDto): Promise<LifeEventVersionView> {
    return this.catalog.as(principal.sub).createLifeEventDraft(dto);
  }

  @Get()
  @ApiOperation({ summary: 'The latest version of every life event (?status=published: the latest published one of each)' })
  @ApiOkResponse({ type: [LifeEventVersionResponse] })
  @ApiProblems(400)
  list(@Query() q: LifeEventListQuery): Promise<LifeEventVersionView[]> {
    return q.status === 'published' ? this.catalog.listLatestPublishedLifeEvents() : this.catalog.listLifeEvents();
  }

  @Get(':key')
  @ApiOperation({ summary: 'Every version of a life event, oldest first' })
  @ApiOkResponse({ type: [LifeEventVersionResponse] })
  @ApiProblems(404)
  versions(@Param('key') key: string): Promise<LifeEventVersionView[]> {
    return this.catalog.listLifeEventVersions(key);
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: 'One version of a life event' })
  @ApiOkResponse({ type: LifeEventVersionResponse })
  @ApiProblems(400, 404)
  get(@Param('key') key: string, @Param('version', VersionPipe) version: number): Promise<LifeEventVersionView> {
    return this.catalog.getLifeEvent(key, version);
  }

  @Put(':key/versions/:version')
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Replace a draft (published and retired versions are immutable: 409)' })
  @ApiBody({ type: LifeEventDefinitionDto, examples: LIFE_EVENT_EXAMPLES })
  @ApiOkResponse({ type: LifeEventVersionResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  update(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Param('version', VersionPipe) version: number, @Body() dto: LifeEventDefinitionDto): Promise<LifeEventVersionView> {
    return this.catalog.as(principal.sub).updateLifeEventDraft(key, version, dto);
  }

  @Post(':key/versions/:version/publish')
  @HttpCode(200)
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Publish a draft (validated again: referenced steps must still be published)' })
  @ApiOkResponse({ type: LifeEventVersionResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  publish(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Param('version', VersionPipe) version: number): Promise<LifeEventVersionView> {
    return this.catalog.as(principal.sub).publishLifeEvent(key, version);
  }

  @Post(':key/versions/:version/retire')
  @HttpCode(200)
  @Roles('catalog-admin')
  @ApiOperation({ summary: 'Retire a published version: no new journeys; running ones continue' })
  @ApiOkResponse({ type: LifeEventVersionResponse })
  @ApiProblems(400, 403, 404, 409)
  retire(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Param('version', VersionPipe) version: number): Promise<LifeEventVersionView> {
    return this.catalog.as(principal.sub).retireLifeEvent(key, version);
  }
}
