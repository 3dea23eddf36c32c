export * from './journey.workflow';
