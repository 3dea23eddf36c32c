export * from './sql';
export * from './notification-content.repository';
export * from './notification-outbox.repository';
export * from './deliveries.repository';
export * from './dossier-status.repository';
export * from './notification-contacts.repository';
export * from './sms-reports.repository';
