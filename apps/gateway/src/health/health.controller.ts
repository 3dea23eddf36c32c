import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { databaseAnswers } from '@levensloop/persistence';
import { Public } from '../auth/decorators';
import { ShutdownDrain } from '../shutdown/drain';
import { TemporalService } from '../temporal/temporal.provider';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly temporal: TemporalService,
    private readonly drain: ShutdownDrain,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Temporal reachable, and not draining after SIGTERM' })
  async health(@Res({ passthrough: true }) res: Response) {
    // Draining: not ready, whatever the dependencies say, so that no new traffic is routed here.
    if (this.drain.draining) {
      res.status(503);
      return { status: 'draining' };
    }
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
