import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EventTypeCatalog, type EventTypeView } from '@levensloop/catalog';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { EventTypeResponse, RegisterEventTypeDto } from './dto/event-type.dto';
import { ApiProblems } from './dto/problem.response';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('event-types')
export class EventTypesController {
  constructor(private readonly eventTypes: EventTypeCatalog) {}

  @Post()
  @HttpCode(201)
  @Roles('catalog-admin')
  @ApiOperation({
    summary: 'Register an event type (catalog admins)',
    description: 'A type that differs from the one known becomes its next version (201); the same definition again changes nothing (200). Life events name it in their triggers; sources may then publish it.',
  })
  @ApiCreatedResponse({ type: EventTypeResponse })
  @ApiOkResponse({ type: EventTypeResponse, description: 'Unchanged: the same definition is already registered' })
  @ApiProblems(400, 403, 422)
  async register(@CurrentPrincipal() principal: Principal, @Body() dto: RegisterEventTypeDto, @Res({ passthrough: true }) res: Response): Promise<EventTypeView> {
    const { view, created } = await this.eventTypes.register({ ...dto, subject: { ...dto.subject } }, principal.sub);
    if (!created) res.status(200);
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Every event type the engine knows: built in and registered (the latest version of each)' })
  @ApiOkResponse({ type: [EventTypeResponse] })
  list(): Promise<EventTypeView[]> {
    return this.eventTypes.list();
  }

  @Get(':type')
  @ApiOperation({ summary: 'One event type (its latest version)' })
  @ApiOkResponse({ type: EventTypeResponse })
  @ApiProblems(404)
  get(@Param('type') type: string): Promise<EventTypeView> {
    return this.eventTypes.get(type);
  }
}
