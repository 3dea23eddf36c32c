export * from './catalog';
export * from './config/sources-config';
export * from './client/errors';
export * from './client/source-client';
export * from './client/logged-read';
export * from './field-path';
export * from './events/event-types';
