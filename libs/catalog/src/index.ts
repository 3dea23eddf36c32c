export * from './catalog-error';
export * from './catalog.service';
export * from './views';
export { canonicalJson, normaliseLifeEvent, normaliseStep, sameLifeEvent, sameStep } from './normalise';
export * from './definitions/apply';
export * from './definitions/files';
export * from './definitions/interpolate';
export * from './event-types/event-type-catalog';
export * from './event-types/event-type-files';
