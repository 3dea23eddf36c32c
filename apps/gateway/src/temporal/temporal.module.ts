import { Module } from '@nestjs/common';
import { TemporalService } from './temporal.provider';

@Module({ providers: [TemporalService], exports: [TemporalService] })
export class TemporalModule {}
