export * from './config';
export * from './production';
export * from './token-checks';
export * from './startup';
export * from './log-redaction';
export * from './database-role';
export * from './retention';
