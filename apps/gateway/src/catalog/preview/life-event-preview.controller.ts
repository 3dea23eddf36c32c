import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService } from '@levensloop/catalog';
import { SOURCE_CATALOG } from '@levensloop/sources';
import { ApiProblems } from '../dto/problem.response';
import { LifeEventPreviewResponse } from './life-event-preview.dto';
import { previewOf, type LifeEventPreview } from './life-event-preview';

/** Before a citizen starts a life event: what it will read, from where, why and on what basis. Catalog data: any signed-in role. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('life-events')
export class LifeEventPreviewController {
  constructor(private readonly catalog: CatalogService) {}

  @Get(':key/preview')
  @ApiOperation({
    summary: 'What starting a life event will read (the once-only preview)',
    description:
      'Per step of the latest published version, in node order: the data it reads about the subject, the authentic source, the purpose and the legal basis (from the steps\' data requirements). A key without a published version is a 404.',
  })
  @ApiOkResponse({ type: LifeEventPreviewResponse })
  @ApiProblems(404)
  async preview(@Param('key') key: string): Promise<LifeEventPreview> {
    const snapshot = await this.catalog.resolveSnapshot(key);
    const codes = new Set(snapshot.nodes.map((n) => n.definition.agency));
    const agencies = (await this.catalog.listAgencies()).filter((a) => codes.has(a.code));
    return previewOf(snapshot, new Map(agencies.map((a) => [a.code, a.names])), SOURCE_CATALOG);
  }
}
