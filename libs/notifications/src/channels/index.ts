export * from './spec';
export * from './registry';
export * from './contact';
export * from './ecounter';
export * from './email';
export * from './sms';
export * from './letter';
