export * from './tracing';
export * from './context';
export * from './temporal';
