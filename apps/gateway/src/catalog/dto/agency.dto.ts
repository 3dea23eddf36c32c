import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TranslationsDto } from './translations.dto';

export class CreateAgencyDto {
  @ApiProperty({ example: 'enterprise-counter', description: 'Lowercase kebab case, 2 to 64 characters' })
  @IsString()
  @MaxLength(64)
  code: string;

  @ApiProperty({ type: TranslationsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => TranslationsDto)
  names: TranslationsDto;
}

export class AgencyResponse {
  @ApiProperty({ example: 'enterprise-counter' }) code: string;
  @ApiProperty({ type: TranslationsDto }) names: TranslationsDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}
