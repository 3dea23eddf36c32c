import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { readerLanguage } from '../data-access/reading';
import { JourneyNotificationsQuery, MyNotificationsQuery, PreferencesDto, RenderQuery } from './notifications.dto';
import { NotificationsService } from './notifications.service';
import { PreferencesService } from './preferences.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly preferences: PreferencesService,
  ) {}

  @Get('me/notifications')
  @Roles('citizen')
  @ApiOperation({ summary: 'My messages, newest first (and the copies I got as a mandate holder), as they were sent, with a read flag' })
  @ApiProblems(400, 403)
  mine(@CurrentPrincipal() p: Principal, @Query() q: MyNotificationsQuery) {
    return this.notifications.mine(p, q);
  }

  @Post('me/notifications/:id/read')
  @HttpCode(200)
  @Roles('citizen')
  @ApiOperation({ summary: 'Mark one of my messages read (a repeat keeps the first time); a request I read in time is not sent to me on paper (a copy read by my representative does not count for me)' })
  @ApiProblems(403, 404)
  read(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: RenderQuery) {
    return this.notifications.markRead(p, id, q.lang);
  }

  @Get('me/preferences')
  @Roles('citizen')
  @ApiOperation({ summary: 'How I am told: language, channels, addresses, copies to my representatives; `prefilled` names values taken from the national register' })
  @ApiProblems(403)
  getPreferences(@CurrentPrincipal() p: Principal) {
    return this.preferences.get(p);
  }

  @Put('me/preferences')
  @Roles('citizen')
  @ApiOperation({ summary: 'Set my own choices (left out: the register value is used); every problem is listed per field' })
  @ApiBody({ type: PreferencesDto })
  @ApiProblems(400, 403, 422)
  putPreferences(@CurrentPrincipal() p: Principal, @Body() dto: PreferencesDto) {
    return this.preferences.put(p, dto);
  }

  @Get('journeys/:id/notifications')
  @ApiOperation({ summary: "A journey's messages with every delivery (recipient, channel, masked address, status, attempts, times, provider reference, the text it went out with) and its dossier-status pushes" })
  @ApiProblems(400, 404)
  ofJourney(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: JourneyNotificationsQuery, @Headers('accept-language') accept?: string) {
    return this.notifications.ofJourney(p, id, readerLanguage(q.lang, accept));
  }
}
