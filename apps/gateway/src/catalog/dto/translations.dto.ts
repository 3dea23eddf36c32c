import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
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

/**
 * Longer texts per language: the purpose of a data requirement, the explanation of a decision.
 * The domain validation gives the real limits (500 and 1000 characters) and requires nl (422).
 */
export class TextsDto implements Translations {
  @ApiProperty({ example: 'Nagaan of u recht hebt op het startbedrag', description: 'Dutch (required)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  nl: string;

  @ApiPropertyOptional({ example: "Vérifier votre droit à l'allocation de naissance" }) @IsOptional() @IsString() @MaxLength(1000) fr?: string;
  @ApiPropertyOptional({ example: 'Prüfen, ob Sie Anspruch auf die Geburtsprämie haben' }) @IsOptional() @IsString() @MaxLength(1000) de?: string;
  @ApiPropertyOptional({ example: 'Check whether you are entitled to the birth allowance' }) @IsOptional() @IsString() @MaxLength(1000) en?: string;
}

/**
 * A JSONLogic expression in the OpenAPI document: any JSON value (an operation object, or a literal
 * whose truthiness decides, as JSONLogic evaluates it); the domain validation checks its operators.
 */
export const JSON_LOGIC_SCHEMA: Pick<ApiPropertyOptions, 'oneOf' | 'nullable'> = {
  oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: {} }, { type: 'string' }, { type: 'number' }, { type: 'boolean' }],
  nullable: true,
};
