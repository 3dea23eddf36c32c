import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/decorators';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import { sendConditional } from '../common/conditional';
import { ApiProblems } from '../catalog/dto/problem.response';
import { CompleteTaskDto, ListTasksQuery, ReassignTaskDto } from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: "A caseworker's agency tasks, or a citizen's own tasks", description: 'Answers with an ETag: poll with If-None-Match for a 304 while the inbox is unchanged.' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the answer you hold' })
  @ApiResponse({ status: 304, description: 'Not modified: the inbox is as in the ETag given' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListTasksQuery, @Req() req: Request, @Res() res: Response) {
    sendConditional(req, res, await this.tasks.list(p, q));
  }

  @Get(':id')
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.tasks.get(p, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  claim(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.tasks.claim(p, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  release(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return this.tasks.release(p, id);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({
    summary: "A supervisor of the task's agency reassigns a caseworker task to a caseworker (who then holds it) or to a team's queue",
    description: 'Give exactly one of `caseworker` or `team`, optionally a reason. Recorded in the journey\'s timeline (step.reassigned) and the audit log (task.reassigned).',
  })
  @ApiProblems(400, 403, 404, 409, 422)
  reassign(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: ReassignTaskDto) {
    return this.tasks.reassign(p, id, dto);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a task: approve or reject (with a comment), with data' })
  complete(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: CompleteTaskDto) {
    return this.tasks.complete(p, id, dto);
  }
}
