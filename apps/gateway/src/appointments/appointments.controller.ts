import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ApiProblems, ProblemResponse } from '../catalog/dto/problem.response';
import { AppointmentResponse, BookAppointmentDto, SlotsQuery, SlotsResponse } from './appointments.dto';
import { AppointmentsService } from './appointments.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get(':id/slots')
  @ApiOperation({ summary: "Free slots of the agency's calendar for a \"choose a time\" task", description: 'For whoever may see the task. Slots of the appointment\'s duration, within its booking window, still to come; read from the agency\'s calendar (its endpoint) as they are now.' })
  @ApiOkResponse({ type: SlotsResponse })
  @ApiProblems(400, 404, 409, 422)
  @ApiResponse({ status: 502, description: "The agency's calendar did not answer", type: ProblemResponse })
  slots(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query() q: SlotsQuery) {
    return this.appointments.slots(p, id, q);
  }

  @Post(':id/appointment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Book a free slot', description: "Whoever may complete the task (the citizen, a mandate holder). The journey books it at the agency's calendar once; a slot taken meanwhile is a 409 and nothing is booked. The citizen is told with an iCalendar attachment." })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  book(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: BookAppointmentDto) {
    return this.appointments.change(p, id, 'book', dto.slot);
  }

  @Post(':id/appointment/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the booked appointment to another free slot', description: 'As a booking: a slot taken meanwhile is a 409 and the appointment stays as it was. The reminder follows the new time.' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiProblems(400, 403, 404, 409, 422)
  move(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: BookAppointmentDto) {
    return this.appointments.change(p, id, 'move', dto.slot);
  }

  @Post(':id/appointment/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the booked appointment', description: 'The slot is freed at the calendar; the task stays open to book another time.' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiProblems(403, 404, 409)
  cancel(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.appointments.change(p, id, 'cancel');
  }
}
