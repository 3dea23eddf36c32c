import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LanguageQuery, PageQuery } from './reading';

export class MyDataAccessQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only entries of this journey' })
  @IsOptional()
  @IsUUID('all', { message: 'journey must be a journey id (a UUID)' })
  journey?: string;

  @ApiPropertyOptional({ description: 'Only entries about this subject (yourself or someone you hold a mandate for)' })
  @IsOptional()
  @Matches(/^\d{10,11}$/, { message: 'subject must be a 10- or 11-digit number' })
  subject?: string;

  @ApiPropertyOptional({ enum: ['granted', 'refused'] })
  @IsOptional()
  @IsIn(['granted', 'refused'], { message: "outcome must be 'granted' or 'refused'" })
  outcome?: 'granted' | 'refused';
}

export class DataAccessQuery extends MyDataAccessQuery {
  @ApiPropertyOptional({ description: 'Only entries by this agency' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agency?: string;
}

export class StepDataQuery extends LanguageQuery {
  @ApiProperty({ description: 'Comma-separated field ids (source/field) the step declared', example: 'national-register/birthDate,national-register/address.postalCode' })
  @IsString({ message: 'fields is required: a comma-separated list of source/field, e.g. national-register/birthDate' })
  @MaxLength(5000)
  fields: string;
}
