import { loadConfig, type LevensloopConfig } from '@levensloop/config';

export const CONFIG = Symbol('LEVENSLOOP_CONFIG');
export const configProvider = (config?: LevensloopConfig) => ({
  provide: CONFIG,
  useValue: config ?? loadConfig(),
});
