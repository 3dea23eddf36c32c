import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DOCUMENT_TYPES, type DocumentRequirement, type DocumentType } from '@levensloop/domain';
import { TranslationsDto } from './translations.dto';
import { EvidenceSourceDto } from './evidence-source.dto';

/* Types and shapes only: keys, types and sizes are checked by the domain validation (422). */
export class DocumentRequirementDto implements DocumentRequirement {
  @ApiProperty({ example: 'birth-certificate', description: 'The document within the step (lowercase kebab case)' }) @IsString() @MaxLength(64) key: string;

  @ApiProperty({ type: TranslationsDto, description: 'What to upload, per language (nl required)' })
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  titles: TranslationsDto;

  @ApiProperty({ enum: DOCUMENT_TYPES, isArray: true, example: ['application/pdf', 'image/jpeg'], description: "Accepted types, checked on the file's content (magic bytes), not its name" })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  acceptedTypes: DocumentType[];

  @ApiProperty({ example: 5242880, description: 'The largest file accepted, in bytes (at most 50 MiB; the gateway may cap lower)' }) @IsInt() maxBytes: number;

  @ApiPropertyOptional({ example: true, description: 'Required documents must be uploaded before the task completes (default false)' }) @IsOptional() @IsBoolean() required?: boolean;

  @ApiPropertyOptional({ type: EvidenceSourceDto, description: "Citizen steps: the authentic source that can deliver the document instead of an upload, on the person's request, with why and on what legal basis" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EvidenceSourceDto)
  evidence?: EvidenceSourceDto;
}
