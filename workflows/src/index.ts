export * from './journey.workflow';
export * from './source-event/source-event.workflow';
