import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AGENCY_ROLES } from '@levensloop/domain';
import { TranslationsDto } from './translations.dto';

const ROLES = Object.keys(AGENCY_ROLES);

export class OfferedByQuery {
  @ApiPropertyOptional({ enum: ROLES, default: 'municipality', description: 'The agency role whose agencies are listed' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: string;
}

class OfferingAgency {
  @ApiProperty({ example: 'gent' }) agency: string;
  @ApiProperty({ type: TranslationsDto }) names: TranslationsDto;
  @ApiProperty({ example: '44021', description: 'The key it serves for the role (a municipality: its NIS code)' }) serves: string;
}

class OfferingAgencyVersion extends OfferingAgency {
  @ApiProperty({ example: 1, description: 'Its latest published version of the step (what a journey routed there pins)' }) version: number;
}

export class OfferedByResponse {
  @ApiProperty({ example: 'municipality' }) role: string;
  @ApiProperty({ example: 'register-new-resident' }) key: string;
  @ApiProperty({ type: [OfferingAgencyVersion] }) offeredBy: OfferingAgencyVersion[];
  @ApiProperty({ type: [OfferingAgency], description: 'Agencies serving the role that publish no version of the step (yet)' }) notOfferedBy: OfferingAgency[];
}
