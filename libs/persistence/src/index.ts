export * from './entities/catalog.entities';
export * from './entities/journey.entities';
export * from './entities/once-only.entities';
export * from './data-source';
export * from './query';
export * from './repositories/log-chain';
export * from './entities/notification.entities';
export * from './repositories';
