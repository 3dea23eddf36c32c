export * from './source-event.activities';
export * from './inbox-sweep.activities';
export * from './mandate-grants';
export * from './trigger-plan';
