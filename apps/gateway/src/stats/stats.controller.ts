import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
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

  /** Aggregates only, no personal data: any signed-in role may read them (they are reported publicly). */
  @Get('stats/once-only')
  @ApiOperation({ summary: 'Once-only rate per life event: fields pre-filled vs asked, over its journeys' })
  onceOnly(@Query() q: OnceOnlyQuery, @Headers('accept-language') accept?: string) {
    return this.stats.onceOnly(q.lifeEvent, readerLanguage(q.lang, accept));
  }
}
