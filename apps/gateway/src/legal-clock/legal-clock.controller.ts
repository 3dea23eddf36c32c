import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems } from '../catalog/dto/problem.response';
import { ExtendTermDto, RequestInformationDto } from './legal-clock.dto';
import { LegalClockService } from './legal-clock.service';

@ApiTags('journeys')
@ApiBearerAuth()
@Controller('journeys/:id/steps/:node')
export class LegalClockController {
  constructor(private readonly clock: LegalClockService) {}

  @Post('request-information')
  @HttpCode(200)
  @Roles('caseworker')
  @ApiOperation({
    summary: 'A caseworker of the step’s agency asks the citizen for information, by a date: the step’s legal clock stands still until they answer',
    description:
      'The step must wait for its caseworker task (a caseworker step, or a decision referred to one), not claimed by a colleague, with no request still open. The citizen gets a task (purpose `information`) and a message; their answer (`POST /tasks/{id}/complete` with `comment`) resumes the clock and moves the step’s due date by the time it stood still. Audited.',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  requestInformation(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('node') node: string, @Body() dto: RequestInformationDto) {
    return this.clock.requestInformation(p, id, node, dto);
  }

  @Post('extend')
  @HttpCode(200)
  @Roles('caseworker')
  @ApiOperation({
    summary: 'A caseworker of the step’s agency extends the step’s term once, with a reason, by at most its serviceNorm.maxExtension',
    description:
      'Moves the due date (and the warning and escalation not yet given) by the extension. Refused (409) when the step declares no maxExtension, its term was extended before, the extension exceeds the maximum, or the step is not under way. The citizen is told, with the reason. Audited.',
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  extend(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('node') node: string, @Body() dto: ExtendTermDto) {
    return this.clock.extend(p, id, node, dto);
  }
}
