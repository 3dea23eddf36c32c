import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SourceDescription } from '@levensloop/domain';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { ProblemException } from '../common/problem';
import { ApiProblems } from './dto/problem.response';
import { SourceResponse } from './dto/source.dto';

const toResponse = (s: SourceDescription): SourceResponse => ({
  key: s.key,
  titles: s.titles,
  subjectTypes: [...s.subjectTypes],
  fields: Object.keys(s.fields)
    .sort()
    .map((field) => ({ field, type: s.fields[field].type, titles: s.fields[field].titles })),
  ...(s.evidence ? { evidence: Object.entries(s.evidence).map(([type, e]) => ({ type, titles: e.titles, contentTypes: [...e.contentTypes] })) } : {}),
});

// The catalog is code, so the answer is computed once.
const SOURCES = Object.values(SOURCE_CATALOG)
  .map(toResponse)
  .sort((a, b) => (a.key < b.key ? -1 : 1));

/** The authentic sources and their fields: what a step may declare in its data requirements. Any signed-in role. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('sources')
export class SourcesController {
  @Get()
  @ApiOperation({ summary: 'The authentic sources and the fields a step may declare in dataRequirements' })
  @ApiOkResponse({ type: [SourceResponse] })
  list(): SourceResponse[] {
    return SOURCES;
  }

  @Get(':source')
  @ApiOperation({ summary: 'One authentic source and its fields' })
  @ApiOkResponse({ type: SourceResponse })
  @ApiProblems(404)
  get(@Param('source') key: string): SourceResponse {
    const found = SOURCES.find((s) => s.key === key);
    if (!found) throw new ProblemException(404, `There is no source '${key}'; the sources are ${SOURCES.map((s) => s.key).join(', ')}.`, { slug: 'not-found', title: 'Not found' });
    return found;
  }
}
