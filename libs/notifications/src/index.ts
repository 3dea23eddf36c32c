export * from './categories';
export * from './templates';
