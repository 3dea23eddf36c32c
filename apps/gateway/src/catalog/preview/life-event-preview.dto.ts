import { ApiProperty } from '@nestjs/swagger';
import { LEGAL_BASIS_TYPES, STEP_KINDS, type LegalBasisType } from '@levensloop/domain';
import { TextsDto, TranslationsDto } from '../dto/translations.dto';

class PreviewLegalBasisResponse {
  @ApiProperty({ enum: LEGAL_BASIS_TYPES, example: 'law' }) type: LegalBasisType;
  @ApiProperty({ example: 'Decreet Groeipakket 27 april 2018, art. 8' }) reference: string;
}

class PreviewDataItemResponse {
  @ApiProperty({ example: 'national-register' }) source: string;
  @ApiProperty({ type: TranslationsDto, example: { nl: 'Rijksregister', en: 'National register of persons' } }) sourceTitles: TranslationsDto;
  @ApiProperty({ example: 'birthDate' }) field: string;
  @ApiProperty({ type: TranslationsDto, example: { nl: 'Geboortedatum', en: 'Date of birth' } }) fieldTitles: TranslationsDto;
  @ApiProperty({ type: TextsDto, description: 'Why the step reads it' }) purpose: TextsDto;
  @ApiProperty({ type: PreviewLegalBasisResponse }) legalBasis: PreviewLegalBasisResponse;
}

class PreviewAgencyResponse {
  @ApiProperty({ example: 'growth-package' }) code: string;
  @ApiProperty({ type: TranslationsDto }) names: TranslationsDto;
}

class PreviewStepResponse {
  @ApiProperty({ example: 'birth-grant', description: 'The node of the life event' }) node: string;
  @ApiProperty({ type: TranslationsDto }) titles: TranslationsDto;
  @ApiProperty({ type: PreviewAgencyResponse }) agency: PreviewAgencyResponse;
  @ApiProperty({ enum: STEP_KINDS }) kind: string;
  @ApiProperty({ description: 'May be skipped, or fail without blocking the journey' }) optional: boolean;
  @ApiProperty({ description: 'Runs only when its condition over the journey data holds' }) conditional: boolean;
  @ApiProperty({ type: [PreviewDataItemResponse], description: 'What the step reads about the subject (empty: nothing)' }) data: PreviewDataItemResponse[];
}

class PreviewLifeEventResponse {
  @ApiProperty({ example: 'birth-of-a-child' }) key: string;
  @ApiProperty({ example: 1, description: 'The latest published version: what a journey started now runs' }) version: number;
  @ApiProperty({ enum: ['citizen', 'business'] }) audience: string;
  @ApiProperty({ type: TranslationsDto }) titles: TranslationsDto;
}

class PreviewSourceResponse {
  @ApiProperty({ example: 'national-register' }) key: string;
  @ApiProperty({ type: TranslationsDto }) titles: TranslationsDto;
}

export class LifeEventPreviewResponse {
  @ApiProperty({ type: PreviewLifeEventResponse }) lifeEvent: PreviewLifeEventResponse;
  @ApiProperty({ type: [PreviewStepResponse], description: "In the life event's node order" }) steps: PreviewStepResponse[];
  @ApiProperty({ type: [PreviewSourceResponse], description: 'Every authentic source read, once' }) sources: PreviewSourceResponse[];
}
