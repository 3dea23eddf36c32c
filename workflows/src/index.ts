export * from './journey/journey.workflow';
export * from './source-event/source-event.workflow';
