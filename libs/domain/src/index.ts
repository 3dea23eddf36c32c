export * from './model';
export * from './durations';
export * from './conditions';
export * from './validation';
export * from './planning';
export * from './journey-state';
