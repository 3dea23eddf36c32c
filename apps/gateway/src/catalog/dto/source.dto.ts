import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SourceField, SubjectType } from '@levensloop/domain';
import { TranslationsDto } from './translations.dto';

const FIELD_TYPES: Array<SourceField['type']> = ['string', 'date', 'number', 'boolean', 'object', 'list'];

export class SourceFieldResponse {
  @ApiProperty({ example: 'address.postalCode', description: 'What a data requirement names in `field`' }) field: string;
  @ApiProperty({ enum: FIELD_TYPES, example: 'string' }) type: SourceField['type'];
  @ApiProperty({ type: TranslationsDto, example: { nl: 'Postcode', en: 'Postal code', fr: 'Code postal', de: 'Postleitzahl' } }) titles: TranslationsDto;
}

export class SourceEvidenceResponse {
  @ApiProperty({ example: 'certificate-of-good-conduct', description: "What a document's evidence names in `type`" }) type: string;
  @ApiProperty({ type: TranslationsDto }) titles: TranslationsDto;
  @ApiProperty({ type: String, isArray: true, example: ['application/pdf'], description: 'The formats the source delivers it in' }) contentTypes: string[];
}

export class SourceResponse {
  @ApiProperty({ example: 'national-register', description: 'What a data requirement names in `source`' }) key: string;
  @ApiProperty({ type: TranslationsDto, example: { nl: 'Rijksregister', en: 'National register of persons', fr: 'Registre national', de: 'Nationalregister' } }) titles: TranslationsDto;
  @ApiProperty({ enum: ['person', 'enterprise'], isArray: true, example: ['person'], description: 'Whose records it holds: only life events about these subjects can use its fields' })
  subjectTypes: SubjectType[];
  @ApiProperty({ type: [SourceFieldResponse], description: 'Sorted by field' }) fields: SourceFieldResponse[];
  @ApiPropertyOptional({ type: [SourceEvidenceResponse], description: "The documents it delivers as evidence, which a citizen step's document may name (documents[].evidence); absent: none" })
  evidence?: SourceEvidenceResponse[];
}
