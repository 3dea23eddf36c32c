export * from './spec';
export * from './registry';
export * from './contact';
