import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProblemException } from '../../common/problem';
import { ApiProblems, ProblemResponse } from '../dto/problem.response';
import { CpsvApService } from './cpsv-ap.service';
import { toJsonLd, toTurtle } from './serialise';

const JSON_LD = 'application/ld+json';
const TURTLE = 'text/turtle';
/** First is the default: a request without Accept, or with `*∕*`, gets JSON-LD. */
const MEDIA_TYPES = [JSON_LD, TURTLE];

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
      'A cpsv:PublicService per published step version (competent authority, processing time = the service norm, requirements and evidence from the data requirements, legal resources, channels) and a cv:LifeEvent or cv:BusinessEvent per published life event (its latest published version) with its services. IRIs are stable: `<public URL>/catalog/id/service/<agency>/<step>/<version>`, `…/life-event/<key>`, `…/organisation/<agency>`. The SHACL shapes of the mandatory properties are in docs/cpsv-ap/.',
  })
  @ApiHeader({ name: 'Accept', required: false, description: `${JSON_LD} (default) or ${TURTLE}` })
  @ApiProduces(JSON_LD, TURTLE)
  @ApiOkResponse({
    description: 'The catalogue as an RDF graph',
    content: {
      [JSON_LD]: { schema: { type: 'object', required: ['@context', '@graph'], properties: { '@context': { type: 'object' }, '@graph': { type: 'array', items: { type: 'object' } } } } },
      [TURTLE]: { schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 406, description: `The Accept header names neither ${JSON_LD} nor ${TURTLE}`, type: ProblemResponse })
  @ApiProblems(401)
  async export(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const type = req.headers.accept ? req.accepts(MEDIA_TYPES) : JSON_LD;
    if (!type) {
      throw new ProblemException(406, `This export is available as ${JSON_LD} (the default) or ${TURTLE}; the Accept header '${req.headers.accept}' names neither.`, {
        slug: 'not-acceptable',
        title: 'Not acceptable',
      });
    }
    const quads = await this.cpsv.graph();
    res.setHeader('Vary', 'Accept');
    res.type(type === TURTLE ? `${TURTLE}; charset=utf-8` : JSON_LD);
    return type === TURTLE ? toTurtle(quads) : JSON.stringify(toJsonLd(quads));
  }
}
