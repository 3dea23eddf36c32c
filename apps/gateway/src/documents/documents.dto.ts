import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { DocumentOriginResponse } from './evidence/evidence.dto';

/** The multipart form of an upload: the document's key (as the step declares it) and the file. */
export class UploadDocumentDto {
  @ApiProperty({ example: 'birth-certificate', description: "The document's key, as the step declares it (GET /tasks/{id} lists them under documents)" })
  @IsString({ message: "key is required: the document's key as the step declares it" })
  @Matches(/^[a-z][a-z0-9-]{1,63}$/, { message: 'key must be a document key of the step: lowercase letters, digits and dashes (e.g. birth-certificate)' })
  key: string;

  @ApiProperty({ type: 'string', format: 'binary', description: "The file; its type is read from its content (PDF, JPEG, PNG, TIFF, WebP as the step accepts), not from its name" })
  file?: unknown;
}

export class DocumentResponse {
  @ApiProperty({ example: '4b8c…' }) id: string;
  @ApiProperty({ example: 'birth-certificate' }) key: string;
  @ApiPropertyOptional({ example: 'Geboorteakte', description: "The step's title of the document, in the reader's language" }) title?: string;
  @ApiProperty({ example: 'register', description: 'The node (step) of the journey whose task it was uploaded to' }) step: string;
  @ApiProperty({ example: 'nl-1234-register' }) taskId: string;
  @ApiProperty({ example: 'application/pdf', description: 'The type read from the content' }) type: string;
  @ApiProperty({ example: 48213 }) size: number;
  @ApiProperty({ example: 'akte.pdf' }) name: string;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'SHA-256 of the content' }) hash: string;
  @ApiProperty() uploadedAt: Date;
  @ApiProperty({ example: 'cw-groeipakket-1' }) uploadedBy: string;
  @ApiPropertyOptional({ type: DocumentOriginResponse, description: 'Where it came from when an authentic source delivered it and the person accepted it; absent for an upload' }) origin?: DocumentOriginResponse;
}

export class DocumentListResponse {
  @ApiProperty({ type: [DocumentResponse] }) items: DocumentResponse[];
}
