import { Module } from '@nestjs/common';
import { TemporalModule } from '../temporal/temporal.module';
import { CodecController } from './codec.controller';

/** Temporal's remote codec protocol, for the Web UI (see CodecController). */
@Module({ imports: [TemporalModule], controllers: [CodecController] })
export class CodecModule {}
