export * from './ports';
export * from './temporal-cli';
export * from './temporal-test-server';
export * from './temporal-dev-server';
export * from './embedded-postgres';
export * from './processes';
export * from './runtime';
export * from './supervisor';
export { installedInVenv, installedWithPip } from './pip-binary';
