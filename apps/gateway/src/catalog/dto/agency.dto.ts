import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TranslationsDto } from './translations.dto';

const ENDPOINT_HOSTS_DESCRIPTION =
  "The hosts the agency's automatic steps may call: host name or IP address with an optional port (`agency.example`, `api.agency.example:8443`), matched exactly against the endpoint URL's host; kept by catalog admins";

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

  @ApiPropertyOptional({ type: [String], example: ['api.enterprise-counter.example'], description: ENDPOINT_HOSTS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  endpointHosts?: string[];

  @ApiPropertyOptional({ example: { municipality: '44021' }, description: 'What it serves per agency role (a municipality: its NIS code); steps named by role are routed to it' })
  @IsOptional()
  @IsObject()
  serves?: Record<string, string>;
}

export class EndpointHostsDto {
  @ApiProperty({ type: [String], example: ['api.enterprise-counter.example', 'backup.enterprise-counter.example:8443'], description: ENDPOINT_HOSTS_DESCRIPTION })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  endpointHosts: string[];
}

export class AgencyResponse {
  @ApiProperty({ example: 'enterprise-counter' }) code: string;
  @ApiProperty({ type: TranslationsDto }) names: TranslationsDto;
  @ApiProperty({ type: [String], example: ['api.enterprise-counter.example'], description: ENDPOINT_HOSTS_DESCRIPTION }) endpointHosts: string[];
  @ApiPropertyOptional({ example: { municipality: '44021' }, description: 'What it serves per agency role' }) serves?: Record<string, string>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}
