import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { LEGAL_BASIS_TYPES, type DataRequirement, type LegalBasis, type LegalBasisType } from '@levensloop/domain';
import { TextsDto } from './translations.dto';

/* Shapes only: whether the source and field exist (GET /sources) is checked by the domain (422). */

export class LegalBasisDto implements LegalBasis {
  @ApiProperty({ enum: LEGAL_BASIS_TYPES, example: 'law', description: 'A law, a deliberation of the data protection authority, or the subject’s consent' })
  @IsIn(LEGAL_BASIS_TYPES as unknown as string[], { message: `type must be one of ${LEGAL_BASIS_TYPES.join(', ')}` })
  type: LegalBasisType;

  @ApiProperty({ example: 'Decreet Groeipakket 27 april 2018, art. 8', description: 'What a citizen or an auditor can look up (at most 500 characters)' })
  @IsString()
  @MaxLength(1000)
  reference: string;
}

export class DataRequirementDto implements DataRequirement {
  @ApiProperty({ example: 'national-register', description: 'Key of an authentic source (GET /sources)' }) @IsString() @MaxLength(64) source: string;

  @ApiProperty({ example: 'birthDate', description: 'A field of that source; dotted for parts, e.g. address.postalCode' }) @IsString() @MaxLength(200) field: string;

  @ApiProperty({ type: TextsDto, description: 'Why the step needs the field, per language (shown to the citizen in the access log)' })
  @IsObject()
  @ValidateNested()
  @Type(() => TextsDto)
  purpose: TextsDto;

  @ApiProperty({ type: LegalBasisDto }) @IsObject() @ValidateNested() @Type(() => LegalBasisDto) legalBasis: LegalBasisDto;
}
