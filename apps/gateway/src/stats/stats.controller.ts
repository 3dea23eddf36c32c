import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { AutomationStatsDto, JourneyStatsDto, ServiceNormStatsDto } from './stats.dto';
import { StatsService } from './stats.service';

export class OnceOnlyQuery extends LanguageQuery {
  @ApiPropertyOptional({ description: 'Only this life event (its key)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  lifeEvent?: string;
}

@ApiTags('data use')
@ApiBearerAuth()
@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('journeys/:id/data-use')
  @ApiOperation({ summary: 'Per step the fields pre-filled from sources vs asked from the citizen; the journey’s once-only rate' })
  dataUse(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.stats.journeyDataUse(p, id, readerLanguage(q.lang, accept));
  }

  /** Aggregates only, no personal data: any signed-in role may read these (they are reported publicly). */
  @Get('stats/once-only')
  @ApiOperation({ summary: 'Once-only rate per life event: fields pre-filled vs asked, over its journeys' })
  onceOnly(@Query() q: OnceOnlyQuery, @Headers('accept-language') accept?: string) {
    return this.stats.onceOnly(q.lifeEvent, readerLanguage(q.lang, accept));
  }

  @Get('stats/journeys')
  @ApiTags('stats')
  @ApiOperation({ summary: 'Journeys by status per life event, and throughput time (median, 90th percentile) of the completed ones' })
  @ApiOkResponse({ type: JourneyStatsDto })
  journeys(@Query() q: OnceOnlyQuery, @Headers('accept-language') accept?: string): Promise<JourneyStatsDto> {
    return this.stats.journeys(q.lifeEvent, readerLanguage(q.lang, accept));
  }

  @Get('stats/service-norms')
  @ApiTags('stats')
  @ApiOperation({ summary: 'Service-norm breaches per agency: steps finished late or open past their due date, warnings, escalations' })
  @ApiOkResponse({ type: ServiceNormStatsDto })
  serviceNorms(@Query() q: LanguageQuery, @Headers('accept-language') accept?: string): Promise<ServiceNormStatsDto> {
    return this.stats.serviceNorms(readerLanguage(q.lang, accept));
  }

  @Get('stats/automation')
  @ApiTags('stats')
  @ApiOperation({ summary: 'Automation rate per life event: completed steps done without a person (automatic calls, decisions the rule took alone)' })
  @ApiOkResponse({ type: AutomationStatsDto })
  automation(@Query() q: OnceOnlyQuery, @Headers('accept-language') accept?: string): Promise<AutomationStatsDto> {
    return this.stats.automation(q.lifeEvent, readerLanguage(q.lang, accept));
  }
}
