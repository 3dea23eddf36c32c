import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { sendConditional } from '../common/conditional';
import { ListJourneysQuery, ReasonDto, StartJourneyDto } from './journey.dto';
import { JourneysService } from './journeys.service';

@ApiTags('journeys')
@ApiBearerAuth()
@Controller('journeys')
export class JourneysController {
  constructor(private readonly journeys: JourneysService) {}

  @Post()
  @ApiOperation({
    summary: 'Start a journey for a subject (idempotent by the Idempotency-Key header)',
    description:
      'A citizen starts one for themselves, or for someone whose mandate to act in that life event they hold (accepted, within its dates; else 403 that says why, e.g. a mandate to read only; audited on whose behalf). A caseworker starts one for someone only for a life event in which their agency has a step, or whose step named by agency role their agency serves for this subject (the register of the role, e.g. the municipality in the address register, places the subject there; read in the access log; else 403 that says why; 503 when the register cannot be asked) and with a reason (else 400 at /reason); the start is audited. The answer comes once the journey engine has accepted the start (503 when it is not reachable: retry with the same key); the same key with another request is a 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'The same key returns the same journey.' })
  @ApiProblems(400, 403, 422)
  async start(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: StartJourneyDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { replayed, journey } = await this.journeys.start(principal, dto, key);
    res.status(replayed ? 200 : 201);
    res.setHeader('Location', `/journeys/${journey.id}`);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return journey;
  }

  @Get()
  @ApiOperation({
    summary: 'List and search journeys (cursor pagination, newest first)',
    description:
      'Eventually consistent: the list reads the read model, which a journey enters with its first projection, normally within milliseconds of its start. A journey just started is readable at once at GET /journeys/{id} (its Location).',
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListJourneysQuery) {
    return this.journeys.list(principal, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A journey with its steps and timeline',
    description: 'Follow a journey by polling with the ETag of the last answer in If-None-Match: the answer is 304 Not Modified, without a body, until something changes.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the answer you hold' })
  @ApiOkResponse({ description: 'The journey', headers: { ETag: { description: 'Changes whenever the journey does', schema: { type: 'string' } } } })
  @ApiResponse({ status: 304, description: 'Not modified: nothing changed since the ETag in If-None-Match' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    sendConditional(req, res, await this.journeys.get(principal, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a running journey, with a reason',
    description: 'Completed steps that declare a compensation are undone first: the answer may show the journey compensating; it ends cancelled once they are undone (409 while it is).',
  })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: ReasonDto) {
    return this.journeys.cancel(principal, id, dto.reason);
  }

  @Post(':id/steps/:step/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry a step that needs attention', description: 'Also retries undoing a step of a cancelled journey (its compensation) that needs attention.' })
  retry(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('step') step: string) {
    return this.journeys.resolveAttention(principal, id, step, 'retry');
  }

  @Post(':id/steps/:step/skip')
  @HttpCode(200)
  @ApiOperation({ summary: 'Skip a step that needs attention, with a reason', description: 'For a compensation that needs attention: gives up undoing the step, with a reason.' })
  skip(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('step') step: string, @Body() dto: ReasonDto) {
    return this.journeys.resolveAttention(principal, id, step, 'skip', dto.reason);
  }
}
