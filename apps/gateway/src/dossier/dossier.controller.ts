import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems, ProblemResponse } from '../catalog/dto/problem.response';
import { ProblemException } from '../common/problem';
import { readerLanguage } from '../data-access/reading';
import { DOSSIER_SCHEMA, DossierQuery } from './dossier.dto';
import { DossierService, type DossierFormat } from './dossier.service';

const PDF = 'application/pdf';
const JSON_TYPE = 'application/json';
/** First is the default: a request without Accept, or with `*∕*`, gets the PDF. */
const MEDIA_TYPES = [PDF, JSON_TYPE];

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/journeys')
export class DossierController {
  constructor(private readonly dossiers: DossierService) {}

  @Get(':id/export')
  @Roles('citizen')
  @ApiOperation({
    summary: 'My dossier of a journey: one PDF (tagged for screen readers), or the same content as JSON',
    description:
      "The journey (life event, status, started and ended), each step with its agency, status, outcome and dates, the decisions with their rule, version, outcome and explanation (and any objection or appeal with its outcome), the data used (field, source, purpose, legal basis) and who read it when (the journey's data-access log), the messages sent to the reader (category, channel, when, subject line) and the documents listed (name, type, size, when; not their content). For the subject and for whoever holds a mandate for them that reads the journey's life event; anyone else gets 404. In the reader's language: ?lang=, else their preference (GET /me/preferences), else Accept-Language, else nl. The PDF is the default (Accept: application/pdf, */* or none); Accept: application/json gives the JSON; ?format=pdf|json wins over Accept. Every export is audited (dossier.exported) and written to the data-access log the subject reads (GET /me/data-access).",
  })
  @ApiHeader({ name: 'Accept', required: false, description: `${PDF} (default) or ${JSON_TYPE}` })
  @ApiProduces(PDF, JSON_TYPE)
  @ApiOkResponse({
    description: 'The dossier, as an attachment',
    content: { [PDF]: { schema: { type: 'string', format: 'binary' } }, [JSON_TYPE]: { schema: DOSSIER_SCHEMA } },
  })
  @ApiProblems(400, 403, 404)
  @ApiResponse({ status: 406, description: `The Accept header names neither ${PDF} nor ${JSON_TYPE} (and no ?format= was given)`, type: ProblemResponse })
  async export(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query() q: DossierQuery,
    @Req() req: Request,
    @Res() res: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const target = await this.dossiers.authorise(p, id);
    const format = negotiate(q.format, req);
    const lang = await this.dossiers.languageOf(p, q.lang, readerLanguage(undefined, acceptLanguage));
    const { content, pdf } = await this.dossiers.export(p, target, format, lang);
    const name = `dossier-${target.journey.life_event_key}-${content.generatedAt.slice(0, 10)}.${format}`;
    res.attachment(name);
    res.set({ 'Content-Language': lang, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', Vary: 'Accept, Accept-Language' });
    if (pdf) res.type(PDF).status(200).end(pdf);
    else res.type(`${JSON_TYPE}; charset=utf-8`).status(200).send(JSON.stringify(content));
  }
}

/** `?format=` wins; else the Accept header (none or `*∕*`: the PDF); a type neither names is a 406. */
function negotiate(format: DossierFormat | undefined, req: Request): DossierFormat {
  if (format) return format;
  const type = req.headers.accept ? req.accepts(MEDIA_TYPES) : PDF;
  if (!type) {
    throw new ProblemException(406, `The dossier is available as ${PDF} (the default) or ${JSON_TYPE}; the Accept header '${req.headers.accept}' names neither. Ask for one of them, or add ?format=pdf or ?format=json.`, {
      slug: 'not-acceptable',
      title: 'Not acceptable',
    });
  }
  return type === JSON_TYPE ? 'json' : 'pdf';
}
