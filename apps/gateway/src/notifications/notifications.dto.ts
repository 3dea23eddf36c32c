import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LANGUAGES, type Language } from '@levensloop/domain';
import { CHANNELS, MESSAGE_CATEGORIES, type Channel } from '@levensloop/notifications';
import { PageQueryDto } from '../common/paging';
import { LanguageQuery } from '../data-access/reading';

// Every category a message can have: templates and filters accept the one list.
const CATEGORY_KEYS = Object.keys(MESSAGE_CATEGORIES);

/**
 * A template version. Only the shape is checked here; what the texts may say (the category, the
 * language, the placeholders the category provides) is checked as a whole, every problem at once.
 */
export class RegisterTemplateDto {
  @ApiProperty({ enum: CATEGORY_KEYS, example: 'journey.started' })
  @IsString({ message: `category must be one of ${CATEGORY_KEYS.join(', ')}` })
  category: string;

  @ApiProperty({ enum: LANGUAGES, example: 'nl' })
  @IsString({ message: `language must be one of ${LANGUAGES.join(', ')}` })
  language: string;

  @ApiProperty({ example: 'Uw dossier "{{journeyTitle}}" is gestart', description: 'Mustache text; the placeholders the category provides (see GET /notification-templates/{category}/{language}, `fields`)' })
  @IsString({ message: 'subject must be a text' })
  subject: string;

  @ApiProperty({ example: 'Beste {{recipientName}},\n\nWe zijn gestart met "{{journeyTitle}}".\n\nVolg uw dossier op {{link}}', description: 'The text of e-mails, the e-counter and letters' })
  @IsString({ message: 'body must be a text' })
  body: string;

  @ApiProperty({ example: 'Uw dossier "{{journeyTitle}}" is gestart: {{link}}', description: 'The short text of an SMS (at most 480 characters once rendered)' })
  @IsString({ message: 'sms must be a text' })
  sms: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'bank',
    description:
      "Whose messages use it: an agency's code (the messages its steps cause), or null for the global template (every agency without one of its own, and the " +
      "journey's own messages). Left out: an agency admin's own agency, a catalog admin's global template. An agency admin registers for its own agency only; " +
      'global templates and templates for a named agency are registered by catalog admins. Categories about the whole journey (journey.*) are global only.',
  })
  @IsOptional()
  @IsString({ message: 'agency must be an agency code, or null for the global template' })
  @MinLength(1, { message: 'agency must be an agency code, or null for the global template' })
  @MaxLength(64, { message: 'agency must be an agency code of at most 64 characters' })
  agency?: string | null;
}

export class TemplatesQuery {
  @ApiPropertyOptional({ enum: CATEGORY_KEYS })
  @IsOptional()
  @IsIn(CATEGORY_KEYS, { message: `category must be one of ${CATEGORY_KEYS.join(', ')}` })
  category?: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES as unknown as string[], { message: `language must be one of ${LANGUAGES.join(', ')}` })
  language?: Language;

  @ApiPropertyOptional({ example: 'bank', description: "An agency: only the default, the global versions and this agency's own, `active` marking what its messages use" })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'agency must be an agency code' })
  @MaxLength(64, { message: 'agency must be an agency code of at most 64 characters' })
  agency?: string;
}

export class ActiveTemplateQuery {
  @ApiPropertyOptional({ example: 'bank', description: "The template the messages of this agency's steps use (its own, else the global one, else the default). Left out: the global one." })
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'agency must be an agency code' })
  @MaxLength(64, { message: 'agency must be an agency code of at most 64 characters' })
  agency?: string;
}

export class RenderQuery {
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Another language than a message was sent in: rendered anew with the template in force now. Left out: each message as it was sent (its stored text).' })
  @IsOptional()
  @IsIn(LANGUAGES as unknown as string[], { message: `lang must be one of ${LANGUAGES.join(', ')}` })
  lang?: Language;
}

export class MyNotificationsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Another language than a message was sent in: rendered anew with the template in force now. Left out: each message as it was sent (its stored text).' })
  @IsOptional()
  @IsIn(LANGUAGES as unknown as string[], { message: `lang must be one of ${LANGUAGES.join(', ')}` })
  lang?: Language;
}

export class LettersQuery extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'false: the print queue (not printed yet, oldest first); true: printed ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'printed must be true or false' })
  printed?: boolean;
}

export class JourneyNotificationsQuery extends LanguageQuery {}

export class PostalAddressDto {
  @ApiProperty({ example: 'Kerkstraat' })
  @IsString({ message: 'street must be a text' })
  @MinLength(1, { message: 'street must not be empty' })
  @MaxLength(200)
  street: string;

  @ApiPropertyOptional({ example: '12A' })
  @IsOptional()
  @IsString({ message: 'houseNumber must be a text' })
  @MaxLength(20)
  houseNumber?: string;

  @ApiProperty({ example: '9000' })
  @IsString({ message: 'postalCode must be a text' })
  @Matches(/^[A-Za-z0-9 -]{2,12}$/, { message: 'postalCode must be a postal code, e.g. 9000' })
  postalCode: string;

  @ApiProperty({ example: 'Gent' })
  @IsString({ message: 'municipality must be a text' })
  @MinLength(1, { message: 'municipality must not be empty' })
  @MaxLength(100)
  municipality: string;

  @ApiPropertyOptional({ example: 'BE', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be a two-letter country code, e.g. BE' })
  country?: string;
}

/**
 * A person's own choices. Left out (or null): the value the national register holds is used. The
 * e-counter always shows the message (it is the dossier); the channels choose what else reaches
 * the person.
 */
export class PreferencesDto {
  @ApiPropertyOptional({ enum: LANGUAGES, nullable: true })
  @IsOptional()
  @IsIn(LANGUAGES as unknown as string[], { message: `language must be one of ${LANGUAGES.join(', ')}` })
  language?: Language | null;

  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['ecounter', 'email'] })
  @IsArray({ message: `channels must be a list of at least one of ${CHANNELS.join(', ')}` })
  @ArrayMinSize(1, { message: `channels must hold at least one of ${CHANNELS.join(', ')}` })
  @ArrayMaxSize(CHANNELS.length)
  @ArrayUnique({ message: 'channels must not repeat a channel' })
  @IsIn(CHANNELS as unknown as string[], { each: true, message: `each channel must be one of ${CHANNELS.join(', ')}` })
  channels: Channel[];

  @ApiPropertyOptional({ example: 'an.peeters@example.be', nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address, e.g. an.peeters@example.be' })
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ example: '+32470123456', nullable: true })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be a number in E.164 form, e.g. +32470123456' })
  phone?: string | null;

  @ApiPropertyOptional({ type: PostalAddressDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PostalAddressDto)
  postalAddress?: PostalAddressDto | null;

  @ApiPropertyOptional({ default: true, description: 'Whether whoever holds a mandate for me gets a copy of my messages' })
  @IsOptional()
  @IsBoolean({ message: 'mandateCopies must be true or false' })
  mandateCopies?: boolean;
}

/** The SMS gateway's delivery report (documentation; the raw body is checked against its signature first). */
export class SmsDeliveryReportDto {
  @ApiProperty({ example: 'sms-000042', description: "The gateway's message id" }) id: string;
  @ApiProperty({ example: '5f0c…', nullable: true, description: 'The reference sent with the message: the delivery id' }) reference: string | null;
  @ApiProperty({ enum: ['delivered', 'failed'] }) status: 'delivered' | 'failed';
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) at: string;
  @ApiPropertyOptional({ example: 'unreachable: the number is not in service' }) error?: string;
}
