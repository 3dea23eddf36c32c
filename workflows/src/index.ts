export * from './journey/journey.workflow';
export * from './source-event/source-event.workflow';
export * from './source-event/inbox-sweep.workflow';
export * from './retention/retention.workflow';
