import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProblemException } from '../../common/problem';
import { ApiProblems, ProblemResponse } from '../dto/problem.response';
import { CpsvApService } from './cpsv-ap.service';
import { toJsonLd, toTurtle } from './serialise';

const JSON_LD = 'application/ld+json';
const TURTLE = 'text/turtle';
/** JSON-LD is JSON: a client that asks for JSON gets the same document (its context is inside). */
const PLAIN_JSON = 'application/json';
/** First is the default: a request without Accept, or with `*∕*`, gets JSON-LD. */
const MEDIA_TYPES = [JSON_LD, TURTLE, PLAIN_JSON];
const JSON_LD_SCHEMA = { type: 'object', required: ['@context', '@graph'], properties: { '@context': { type: 'object' }, '@graph': { type: 'array', items: { type: 'object' } } } };

/** The published catalogue in CPSV-AP 3, for other governments' catalogues. Read like the rest of the catalog: any signed-in role. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('catalog/cpsv-ap')
export class CpsvApController {
  constructor(private readonly cpsv: CpsvApService) {}

  @Get()
  @ApiOperation({
    summary: 'The published catalogue in CPSV-AP 3: JSON-LD (default) or Turtle, by the Accept header',
    description:
      'A cpsv:PublicService per published step version (competent authority, processing time = the service norm, requirements and evidence from the data requirements, legal resources, channels) and a cv:LifeEvent or cv:BusinessEvent per published life event (its latest published version) with its services. Ask with Accept: application/ld+json (the default; application/json gives the same document) or text/turtle. IRIs are stable: `<public URL>/catalog/id/service/<agency>/<step>/<version>`, `…/life-event/<key>`, `…/organisation/<agency>`. The SHACL shapes of the mandatory properties are in docs/cpsv-ap/.',
  })
  @ApiProduces(JSON_LD, TURTLE, PLAIN_JSON)
  @ApiOkResponse({
    description: 'The catalogue as an RDF graph',
    content: {
      [JSON_LD]: { schema: JSON_LD_SCHEMA },
      [TURTLE]: { schema: { type: 'string' } },
      [PLAIN_JSON]: { schema: JSON_LD_SCHEMA },
    },
  })
  @ApiResponse({ status: 406, description: `The Accept header names none of ${JSON_LD}, ${TURTLE} and ${PLAIN_JSON}`, type: ProblemResponse })
  @ApiProblems(401)
  async export(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const type = req.headers.accept ? req.accepts(MEDIA_TYPES) : JSON_LD;
    if (!type) {
      throw new ProblemException(406, `This export is available as ${JSON_LD} (the default, also as ${PLAIN_JSON}) or ${TURTLE}; the Accept header '${req.headers.accept}' names none of them.`, {
        slug: 'not-acceptable',
        title: 'Not acceptable',
      });
    }
    const quads = await this.cpsv.graph();
    res.setHeader('Vary', 'Accept');
    res.type(type === TURTLE ? `${TURTLE}; charset=utf-8` : type);
    return type === TURTLE ? toTurtle(quads) : JSON.stringify(toJsonLd(quads));
  }
}
