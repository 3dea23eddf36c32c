export * from './journey.activities';
export * from './once-only.activities';
export * from './agency-call';
export * from './source-event';
export * from './retention/retention.activities';
export * from './routing.activities';
export * from './appointments.activities';
export * from './payments/payments.activities';
