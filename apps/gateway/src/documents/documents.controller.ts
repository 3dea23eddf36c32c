import { Body, Catch, Controller, Get, Headers, Inject, Param, PayloadTooLargeException, Post, Query, Res, UploadedFile, UseFilters, UseInterceptors, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { LevensloopConfig } from '@levensloop/config';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems, ProblemResponse } from '../catalog/dto/problem.response';
import { CONFIG } from '../config.provider';
import { ProblemDetailsFilter } from '../common/problem.filter';
import { ProblemException } from '../common/problem';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { DocumentListResponse, DocumentResponse, UploadDocumentDto } from './documents.dto';
import { DocumentsService, type UploadedFile as UploadedDocument } from './documents.service';

/** multer's own "file too large" (over DOCUMENT_MAX_BYTES, before the step's cap is known) as a problem that says the limit. */
@Catch(PayloadTooLargeException)
export class UploadTooLargeFilter implements ExceptionFilter {
  private readonly problems = new ProblemDetailsFilter();
  constructor(@Inject(CONFIG) private readonly config: LevensloopConfig) {}

  catch(_exception: PayloadTooLargeException, host: ArgumentsHost) {
    const max = this.config.documents.maxBytes;
    this.problems.catch(new ProblemException(413, `The file is larger than ${max} bytes, the largest upload taken here. Nothing was stored.`, { slug: 'document-too-large', errors: [{ path: '/file', message: `at most ${max} bytes` }], extensions: { maxBytes: max } }), host);
  }
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post(':id/documents')
  @UseFilters(UploadTooLargeFilter)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDocumentDto })
  @ApiOperation({
    summary: "Upload a document the task's step asks for (multipart: key and file)",
    description:
      "Whoever may complete the task uploads. The type is read from the file's content (magic bytes), never from its name or declared type; the size is capped by the step's maxBytes and DOCUMENT_MAX_BYTES. The same key again replaces the earlier upload. Stored encrypted, addressed by its SHA-256 (the same file twice is stored once). Any refusal stores nothing.",
  })
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  @ApiResponse({ status: 413, description: "The file is larger than the step's maxBytes or DOCUMENT_MAX_BYTES", type: ProblemResponse })
  @ApiResponse({ status: 415, description: 'The content is not of a type the document accepts (whatever its name says)', type: ProblemResponse })
  upload(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() dto: UploadDocumentDto,
    @UploadedFile() file: UploadedDocument | undefined,
    @Query() q: LanguageQuery,
    @Headers('accept-language') accept?: string,
  ) {
    return this.documents.upload(p, id, dto.key, file, readerLanguage(q.lang, accept));
  }
}

@ApiTags('journeys')
@ApiBearerAuth()
@Controller('journeys')
export class JourneyDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id/documents')
  @ApiOperation({ summary: "The documents uploaded to a journey's tasks", description: 'For whoever may see the journey (GET /journeys/{id}); anyone else gets 404. No content: download each at /journeys/{id}/documents/{documentId}.' })
  @ApiOkResponse({ type: DocumentListResponse })
  @ApiProblems(404)
  list(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.documents.list(p, id, readerLanguage(q.lang, accept));
  }

  @Get(':id/documents/:documentId')
  @ApiOperation({
    summary: 'Download one document of a journey',
    description: "As an attachment with its stored type (read from its content at upload) and X-Content-Type-Options: nosniff. Every download is written to the data-access log the subject reads (GET /me/data-access), with who and why.",
  })
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp')
  @ApiOkResponse({ description: "The document's content", schema: { type: 'string', format: 'binary' } })
  @ApiProblems(404)
  @ApiResponse({ status: 410, description: 'The document is no longer stored (retention)', type: ProblemResponse })
  async download(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('documentId') documentId: string, @Res() res: Response) {
    const { row, content } = await this.documents.download(p, id, documentId);
    res.attachment(row.file_name);
    res.set({ 'Content-Type': row.content_type, 'Content-Length': String(content.length), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; sandbox" });
    res.status(200).end(content);
  }
}
