export * from './tracing';
export * from './context';
export * from './temporal';
export * from './redacting-processor';
