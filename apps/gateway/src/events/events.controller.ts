import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ProblemException } from '../common/problem';
import { ProblemResponse } from '../catalog/dto/problem.response';
import { eventMetrics } from '../metrics/metrics';
import { CloudEventDto, MAX_BATCH } from './cloud-event.dto';
import { EventsService } from './events.service';

const SINGLE = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

const locationOf = (source: string, id: string) => `/events/${encodeURIComponent(source)}/${encodeURIComponent(id)}`;

/** Events from authentic sources (CloudEvents 1.0, structured mode): the inbox of proactive journeys. */
@ApiTags('events')
@ApiBearerAuth()
@ApiExtraModels(CloudEventDto)
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @Roles('source')
  @ApiOperation({
    summary: 'Publish source events (one CloudEvent, or a batch)',
    description:
      `One event as ${SINGLE} (or application/json), or up to ${MAX_BATCH} as ${BATCH}. The event's source must equal the token's source claim. ` +
      'Every event is validated first; one bad event refuses the whole request and nothing is stored. An event id already received ' +
      'is a duplicate: 200 with status "duplicate" and what the first delivery caused, without side effects. A new event answers 202 with ' +
      'what it caused (journeys started, cancelled or told, mandates); status "received" means it is stored and will be processed by a retry. ' +
      'A batch answers { accepted, duplicates, items } with one item per distinct event id.',
  })
  @ApiConsumes(SINGLE, BATCH, 'application/json')
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(CloudEventDto) }, { type: 'array', maxItems: MAX_BATCH, items: { $ref: getSchemaPath(CloudEventDto) } }] } })
  @ApiResponse({ status: 202, description: 'New event(s): stored, and what they caused' })
  @ApiResponse({ status: 200, description: 'Only duplicates: nothing happened again' })
  @ApiResponse({ status: 400, description: 'Malformed event(s): every problem with a JSON pointer', type: ProblemResponse })
  @ApiResponse({ status: 403, description: "The event's source is not the token's source", type: ProblemResponse })
  @ApiResponse({ status: 409, description: 'An event id was already used for a different event', type: ProblemResponse })
  @ApiResponse({ status: 415, description: 'Not a structured-mode CloudEvent', type: ProblemResponse })
  @ApiResponse({ status: 422, description: 'Unknown event type, or data that does not fit the type', type: ProblemResponse })
  async publish(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const body: unknown = req.body;
    if (mediaType === BATCH) {
      if (!Array.isArray(body)) {
        eventMetrics.rejected.inc({ reason: 'malformed' });
        throw new ProblemException(400, `A ${BATCH} body is a JSON array of CloudEvents.`, { slug: 'invalid-event', title: 'Invalid event' });
      }
      const items = await this.events.receive(principal, body, true);
      const accepted = items.filter((i) => i.status !== 'duplicate').length;
      res.status(accepted ? 202 : 200);
      return { accepted, duplicates: items.length - accepted, items };
    }
    if (mediaType === SINGLE || mediaType === 'application/json') {
      if (Array.isArray(body)) {
        eventMetrics.rejected.inc({ reason: 'malformed' });
        throw new ProblemException(400, `Send several events as ${BATCH}; ${mediaType} carries one event (a JSON object).`, { slug: 'invalid-event', title: 'Invalid event' });
      }
      const [item] = await this.events.receive(principal, [body], false);
      res.status(item.status === 'duplicate' ? 200 : 202);
      res.setHeader('Location', locationOf(item.source, item.id));
      return item;
    }
    eventMetrics.rejected.inc({ reason: 'media-type' });
    const binary = Object.keys(req.headers).some((h) => h.startsWith('ce-'));
    throw new ProblemException(
      415,
      `Send a CloudEvent in structured mode: Content-Type ${SINGLE} (or application/json) for one event, ${BATCH} for several${binary ? '; binary mode (ce-* headers) is not supported' : ''}. Got '${mediaType || 'none'}'.`,
      { slug: 'unsupported-media-type' },
    );
  }

  @Get(':source/:id')
  @Roles('auditor', 'source')
  @ApiOperation({ summary: 'One received event: its status (received, processed, ignored, failed) and what it caused (auditors, and the source that sent it)' })
  @ApiResponse({ status: 404, description: 'Not received (or sent by another source)', type: ProblemResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('source') source: string, @Param('id') id: string) {
    return this.events.get(principal, source, id);
  }
}
