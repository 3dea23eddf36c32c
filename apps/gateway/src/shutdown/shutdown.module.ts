import { Global, Module } from '@nestjs/common';
import { ShutdownDrain } from './drain';

/** The SIGTERM drain, global: the health check answers 503 while it runs. */
@Global()
@Module({ providers: [ShutdownDrain], exports: [ShutdownDrain] })
export class ShutdownModule {}
