import { Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../../auth/decorators';
import type { Principal } from '../../auth/principal';
import { ApiProblems, ProblemResponse } from '../../catalog/dto/problem.response';
import { LanguageQuery, readerLanguage } from '../../data-access/reading';
import { DocumentResponse } from '../documents.dto';
import { EvidencePreviewListResponse, EvidencePreviewResponse, EvidenceRejectedResponse } from './evidence.dto';
import { EvidenceService } from './evidence.service';

const ONLY_REQUESTER = 'A preview is seen by the person who asked for it only: anyone else (the subject included, when a representative asked) gets 404.';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post(':id/documents/:key/evidence')
  @ApiOperation({
    summary: "Ask the document's authentic source for it instead of uploading (a preview for you)",
    description: `On the person's explicit request only (the subject, or who acts for them), for a document whose step names the source that delivers it (GET /tasks/{id}: documents[].evidence). The source is asked about the task's subject with the step's purpose and legal basis; the access log records the request and its outcome ('preview'). The document is held encrypted as your preview until you accept it (it then becomes the task's document) or reject it, at most EVIDENCE_PREVIEW_TERM; nothing reaches the caseworker or the journey before you accept. Asking again replaces your earlier preview. ${ONLY_REQUESTER}`,
  })
  @ApiCreatedResponse({ type: EvidencePreviewResponse })
  @ApiProblems(403, 404, 409, 422, 503)
  @ApiResponse({ status: 409, description: 'The task is closed, asks for no documents, the document cannot come from a source, or the source holds none for this person (no-evidence): nothing is stored', type: ProblemResponse })
  @ApiResponse({ status: 502, description: 'The source refused the request, or delivered a document that does not fit the step: nothing is stored', type: ProblemResponse })
  request(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('key') key: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.evidence.request(p, id, key, readerLanguage(q.lang, accept));
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: 'Your previews of evidence on a task', description: `The previews you asked for and have not accepted, rejected or let expire. ${ONLY_REQUESTER}` })
  @ApiOkResponse({ type: EvidencePreviewListResponse })
  @ApiProblems(403, 404)
  list(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.evidence.list(p, id, readerLanguage(q.lang, accept));
  }

  @Get(':id/documents/:key/evidence')
  @ApiOperation({ summary: 'Download your preview, to check it before you use it', description: `As an attachment with the type read from its content and X-Content-Type-Options: nosniff. ${ONLY_REQUESTER}` })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: "The preview's content", schema: { type: 'string', format: 'binary' } })
  @ApiProblems(404)
  async content(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('key') key: string, @Res() res: Response) {
    const { row, content } = await this.evidence.content(p, id, key);
    res.attachment(row.file_name);
    res.set({ 'Content-Type': row.content_type, 'Content-Length': String(content.length), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; sandbox" });
    res.status(200).end(content);
  }

  @Post(':id/documents/:key/evidence/accept')
  @ApiOperation({ summary: "Use your preview: it becomes the task's document, as an upload would", description: `With its origin (the source, the type, who asked, when). Replaces an earlier upload of the same document. Audited (task.evidence_accepted). ${ONLY_REQUESTER}` })
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiProblems(403, 404, 409, 422)
  accept(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('key') key: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.evidence.accept(p, id, key, readerLanguage(q.lang, accept));
  }

  @Post(':id/documents/:key/evidence/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Do not use your preview: it is discarded and nothing is attached', description: `Audited (task.evidence_rejected). ${ONLY_REQUESTER}` })
  @ApiOkResponse({ type: EvidenceRejectedResponse })
  @ApiProblems(403, 404)
  reject(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('key') key: string) {
    return this.evidence.reject(p, id, key);
  }
}
