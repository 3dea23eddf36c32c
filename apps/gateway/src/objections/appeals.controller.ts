import { Body, Controller, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { DecideAppealDto, FileAppealDto } from './appeals.dto';
import { AppealsService } from './appeals.service';

@ApiTags('decisions')
@ApiBearerAuth()
@Controller()
export class AppealsController {
  constructor(private readonly appeals: AppealsService) {}

  @Post('journeys/:id/decisions/:node/appeals')
  @HttpCode(201)
  @Roles('citizen')
  @ApiOperation({
    summary: 'After an objection was upheld, the subject, or whoever holds a mandate to act for them, appeals the decision with a reason, within its term (audited)',
    description:
      "Only a decision step that declares `objection.appeal` can be appealed, and only once its objection was upheld (409 `no-appeal`, `no-upheld-objection`). The term runs from the objection's review; after it, 409 `appeal-term-ended` says the term and when it ended (`term`, `termEndedAt`). The decision goes to the appeal agency (`objection.appeal.agency`, else the reviewing agency) as a caseworker task. A retry with the same reason answers the same appeal.",
  })
  @ApiProblems(400, 403, 404, 409)
  file(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('node') node: string,
    @Body() dto: FileAppealDto,
    @Query() q: LanguageQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.appeals.file(p, id, node, dto, readerLanguage(q.lang, accept));
  }

  @Post('journeys/:id/decisions/:node/appeal/decision')
  @HttpCode(200)
  @Roles('caseworker')
  @ApiOperation({
    summary: 'A caseworker of the appeal agency upholds or revises a decision after an appeal, with an explanation for the citizen (audited)',
    description:
      'Four eyes: whoever decided, overrode the decision or reviewed the objection may not decide the appeal (403). A revised decision (`grant`, `deny`) starts again the steps that depended on its outcome; the citizen is told on their channel.',
  })
  @ApiProblems(400, 403, 404, 409, 422)
  decide(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('node') node: string,
    @Body() dto: DecideAppealDto,
    @Query() q: LanguageQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.appeals.decide(p, id, node, dto, readerLanguage(q.lang, accept));
  }
}
