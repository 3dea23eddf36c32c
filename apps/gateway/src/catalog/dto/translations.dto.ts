import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Translations } from '@levensloop/domain';

/**
 * Titles per language (nl, fr, de, en). `nl` is required, but by the domain validation rather
 * than here, so a missing Dutch title is reported together with every other problem (422).
 */
export class TranslationsDto implements Translations {
  @ApiProperty({ example: 'Onderneming inschrijven', description: 'Dutch (required)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nl: string;

  @ApiPropertyOptional({ example: "Inscrire l'entreprise" }) @IsOptional() @IsString() @MaxLength(200) fr?: string;
  @ApiPropertyOptional({ example: 'Unternehmen eintragen' }) @IsOptional() @IsString() @MaxLength(200) de?: string;
  @ApiPropertyOptional({ example: 'Register the enterprise' }) @IsOptional() @IsString() @MaxLength(200) en?: string;
}
