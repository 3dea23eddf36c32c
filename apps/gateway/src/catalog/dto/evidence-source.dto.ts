import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { EvidenceSource } from '@levensloop/domain';
import { LegalBasisDto } from './data-requirement.dto';
import { TextsDto } from './translations.dto';

/* Shapes only: whether the source delivers that type (GET /sources) is checked by the domain (422). */
export class EvidenceSourceDto implements EvidenceSource {
  @ApiProperty({ example: 'criminal-record', description: 'Key of an authentic source that delivers documents (GET /sources: evidence)' }) @IsString() @MaxLength(64) source: string;

  @ApiProperty({ example: 'certificate-of-good-conduct', description: 'The kind of document the source delivers' }) @IsString() @MaxLength(64) type: string;

  @ApiProperty({ type: TextsDto, description: 'Why the step needs it, per language (shown to the citizen in the access log)' })
  @IsObject()
  @ValidateNested()
  @Type(() => TextsDto)
  purpose: TextsDto;

  @ApiProperty({ type: LegalBasisDto }) @IsObject() @ValidateNested() @Type(() => LegalBasisDto) legalBasis: LegalBasisDto;
}
