import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Where a task's document came from when a source delivered it (absent: uploaded). */
export class DocumentOriginResponse {
  @ApiProperty({ enum: ['evidence'] }) kind: 'evidence';
  @ApiProperty({ example: 'criminal-record', description: 'The authentic source that delivered it' }) source: string;
  @ApiProperty({ example: 'Centraal Strafregister', description: "The source's name in the reader's language" }) sourceTitle: string;
  @ApiProperty({ example: 'certificate-of-good-conduct' }) type: string;
  @ApiProperty({ example: 'citizen:85073003328', description: 'Who asked for it and accepted it' }) requestedBy: string;
  @ApiProperty() fetchedAt: string;
}

/** Evidence a source delivered, held for the person who asked until they accept or reject it. */
export class EvidencePreviewResponse {
  @ApiProperty({ example: 'good-conduct', description: "The step's document it would become" }) key: string;
  @ApiPropertyOptional({ example: 'Uittreksel uit het strafregister', description: "The step's title of the document, in the reader's language" }) title?: string;
  @ApiProperty() taskId: string;
  @ApiProperty({ example: 'criminal-record' }) source: string;
  @ApiProperty({ example: 'Centraal Strafregister' }) sourceTitle: string;
  @ApiProperty({ example: 'certificate-of-good-conduct' }) evidenceType: string;
  @ApiProperty({ example: 'Uittreksel uit het strafregister' }) evidenceTitle: string;
  @ApiProperty({ example: 'application/pdf', description: 'The type read from the content' }) type: string;
  @ApiProperty({ example: 1834 }) size: number;
  @ApiProperty({ example: 'uittreksel-strafregister.pdf' }) name: string;
  @ApiProperty({ description: 'SHA-256 of the content' }) hash: string;
  @ApiProperty() fetchedAt: Date;
  @ApiProperty({ description: 'After this the preview can no longer be accepted and is deleted (EVIDENCE_PREVIEW_TERM)' }) expiresAt: Date;
}

export class EvidencePreviewListResponse {
  @ApiProperty({ type: [EvidencePreviewResponse] }) items: EvidencePreviewResponse[];
}

export class EvidenceRejectedResponse {
  @ApiProperty({ example: 'good-conduct' }) key: string;
  @ApiProperty({ example: true }) discarded: boolean;
}
