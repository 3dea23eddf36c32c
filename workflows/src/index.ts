export * from './journey/journey.workflow';
