import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { GrantMandateDto, RevokeMandateDto } from './granted-mandate.dto';
import { GrantedMandatesService } from './granted-mandates.service';
import { MandatesService } from './mandates.service';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/mandates')
export class MandatesController {
  constructor(
    private readonly mandates: MandatesService,
    private readonly granted: GrantedMandatesService,
  ) {}

  @Get()
  @Roles('citizen')
  @ApiOperation({
    summary: 'The mandates I hold (e.g. for my child), and those others hold for me; only valid ones',
    description: 'Also the mandates people grant: those I (or an enterprise through me) granted, those I hold, and those waiting for me to accept, in every state.',
  })
  async list(@CurrentPrincipal() p: Principal) {
    return { ...(await this.mandates.list(p)), ...(await this.granted.list(p)) };
  }

  @Post()
  @Roles('citizen')
  @ApiOperation({
    summary: 'Grant a mandate to a person or an enterprise (for myself, or for an enterprise I represent)',
    description:
      'Pending until the holder accepts. 403 when the enterprise register does not name you a representative of the enterprise in `grantor`; 422 for a mandate to yourself (slug self-mandate) or dates or life events that do not hold (an end after the start, at most 5 years after it, a start today or later); 409 when the holder already has a mandate from you for an overlapping period and life events (slug mandate-duplicate). Audited.',
  })
  @ApiProblems(400, 403, 409, 422, 503)
  grant(@CurrentPrincipal() p: Principal, @Body() dto: GrantMandateDto) {
    return this.granted.grant(p, dto);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('citizen')
  @ApiOperation({ summary: 'Accept a mandate granted to me: it counts from then on, within its dates and scope', description: '403 when you are not its holder; 409 when it was revoked, has expired (slug mandate-expired) or was already accepted. Audited.' })
  @ApiProblems(403, 404, 409)
  accept(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.granted.accept(p, id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('citizen')
  @ApiOperation({ summary: 'Revoke a mandate, as the one who granted it (or a representative of that enterprise) or as its holder', description: 'The holder can no longer act from then on. 409 when it was already revoked or has expired. Audited with the reason.' })
  @ApiProblems(400, 403, 404, 409)
  revoke(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: RevokeMandateDto) {
    return this.granted.revoke(p, id, dto.reason);
  }
}
