export * from './fallback';
export * from './email-reports';
