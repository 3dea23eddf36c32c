export * from './codec';
export * from './codec-server';
export * from './connection';
export * from './subject-key';
