import { Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { LanguageQuery, readerLanguage } from '../data-access/reading';
import { ConsentsService } from './consents.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @Roles('citizen')
  @ApiOperation({ summary: 'My consents (and those of whoever I represent): which agency may read which field for which step' })
  list(@CurrentPrincipal() p: Principal, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.consents.mine(p, readerLanguage(q.lang, accept));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('citizen')
  @ApiOperation({ summary: 'Withdraw a consent: no further reads of that field (audited; a repeat answers the same record)' })
  withdraw(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: LanguageQuery, @Headers('accept-language') accept?: string) {
    return this.consents.withdraw(p, id, readerLanguage(q.lang, accept));
  }
}
