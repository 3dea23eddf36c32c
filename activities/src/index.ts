export * from './journey.activities';
export * from './once-only.activities';
