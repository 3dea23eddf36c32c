export * from './appointment-messages';
export * from './ics';
