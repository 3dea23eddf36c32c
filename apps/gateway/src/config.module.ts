import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { LevensloopConfig } from '@levensloop/config';
import { configProvider, CONFIG } from './config.provider';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: LevensloopConfig): DynamicModule {
    return { module: ConfigModule, providers: [configProvider(config)], exports: [CONFIG] };
  }
}
