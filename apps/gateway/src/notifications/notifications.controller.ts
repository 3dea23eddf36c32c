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
  @ApiOperation({
    summary: 'How I am told: language, channels, addresses, copies to my representatives; `prefilled` names values taken from the national register',
    description:
      '`channels`: my choice, or (without one) the channels a request to act would use, only those that reach me. `available`: the channels PUT /me/preferences ' +
      'accepts with the addresses known now (the e-counter always, e-mail with an e-mail address, sms with a mobile number, letter with a postal address). ' +
      '`unavailable`: the others, each `{ channel, reason }` (what to give to make it available).',
  })
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
  @ApiOperation({
    summary: "A journey's messages with their deliveries (recipient, channel, masked address, status, attempts, times, provider reference, the text it went out with) and its dossier-status pushes",
    description:
      'Who may see the journey may call this; what they see depends on who they are. Caseworkers of an agency involved in the journey, auditors and catalog admins ' +
      "see every delivery to every recipient (`scope: journey`). Anyone else — a citizen, as the journey's subject or as a mandate holder — sees only the deliveries " +
      'addressed to themselves (recipient id equal to the national number or enterprise number of their token, as for GET /me/notifications) and the dossier-status ' +
      "pushes (`scope: own`): a parent does not see the other parent's deliveries, addresses or statuses. A message with no delivery to the caller is left out for them.",
  })
  @ApiProblems(400, 404)
  ofJourney(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: JourneyNotificationsQuery, @Headers('accept-language') accept?: string) {
    return this.notifications.ofJourney(p, id, readerLanguage(q.lang, accept));
  }
}
