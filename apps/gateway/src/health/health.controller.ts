import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { databaseAnswers } from '@levensloop/persistence';
import { Public } from '../auth/decorators';
import { TemporalService } from '../temporal/temporal.provider';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly temporal: TemporalService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Temporal reachable' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([
      databaseAnswers(this.db),
      this.temporal.isReachable(),
    ]);
    const ok = postgres && temporal;
    res.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'unavailable',
      checks: { postgres: postgres ? 'up' : 'down', temporal: temporal ? 'up' : 'down' },
    };
  }
}
