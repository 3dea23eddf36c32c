export * from './config';
export * from './production';
export * from './log-redaction';
