import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CodecDisclosures } from '@levensloop/persistence';
import { TemporalModule } from '../temporal/temporal.module';
import { CodecDecodeService } from './codec-decode.service';
import { CodecController } from './codec.controller';

/** Temporal's remote codec protocol, for the Web UI and auditors (see CodecController); every decode logged (CodecDecodeService). */
@Module({
  imports: [TemporalModule],
  controllers: [CodecController],
  providers: [CodecDecodeService, { provide: CodecDisclosures, useFactory: (ds: DataSource) => new CodecDisclosures(ds), inject: [DataSource] }],
})
export class CodecModule {}
