export * from './journey.activities';
