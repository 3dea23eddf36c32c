export * from './catalog-error';
export * from './catalog.service';
export * from './definitions';
