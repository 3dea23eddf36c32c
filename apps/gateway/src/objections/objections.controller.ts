import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { FileObjectionDto, ObjectionStatsQuery, ReviewObjectionDto } from './objections.dto';
import { ObjectionsService } from './objections.service';
import { ObjectionStatsDto } from './objection-stats.dto';

@ApiTags('decisions')
@ApiBearerAuth()
@Controller()
export class ObjectionsController {
  constructor(private readonly objections: ObjectionsService) {}

  @Get('journeys/:id/objections')
  @ApiOperation({
    summary: "Per decision of the journey: its objection term, until when an objection can be filed, who reviews, the objection with its review, and (when the step declares one) the appeal stage",
    description: 'For whoever may see the journey.',
  })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.objections.list(p, id, readerLanguage(q.lang, accept));
  }

  @Post('journeys/:id/decisions/:node/objections')
  @HttpCode(201)
  @Roles('citizen')
  @ApiOperation({
    summary: 'The subject, or whoever holds a mandate to act for them, objects to a final decision with a reason, within its term (audited)',
    description:
      "The term runs from the decision's completion (the step's `objection.term`). After it, 409 `objection-term-ended` says the term and when it ended (`term`, `termEndedAt`). The decision goes back to the reviewing agency as a caseworker task; a journey that had completed runs again until the review. A retry with the same reason answers the same objection.",
  })
  @ApiProblems(400, 403, 404, 409)
  file(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('node') node: string,
    @Body() dto: FileObjectionDto,
    @Query() q: LanguageQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.objections.file(p, id, node, dto, readerLanguage(q.lang, accept));
  }

  @Post('journeys/:id/decisions/:node/objection/review')
  @HttpCode(200)
  @Roles('caseworker')
  @ApiOperation({
    summary: 'A caseworker of the reviewing agency upholds or revises a decision after an objection, with an explanation for the citizen (audited)',
    description:
      'Four eyes: whoever decided (a referral) or overrode the decision may not review it (403). A revised decision (`grant`, `deny`) starts again the steps that depended on its outcome; the citizen is told on their channel.',
  })
  @ApiProblems(400, 403, 404, 409, 422)
  review(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('node') node: string,
    @Body() dto: ReviewObjectionDto,
    @Query() q: LanguageQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.objections.review(p, id, node, dto, readerLanguage(q.lang, accept));
  }

  /** Aggregates only, no personal data: any signed-in role may read these. */
  @Get('stats/objections')
  @ApiTags('stats')
  @ApiOperation({ summary: 'Objections per decision rule id and version: filed, still open, upheld and revised, and the appeals after them: filed and revised (the feedback a rule owner needs)' })
  @ApiOkResponse({ type: ObjectionStatsDto })
  @ApiProblems(400)
  stats(@Query() q: ObjectionStatsQuery): Promise<ObjectionStatsDto> {
    return this.objections.stats(q.rule);
  }
}
