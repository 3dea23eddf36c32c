export * from './agency-client';
export * from './address-guard';
export * from './signature';
export * from './signing-keys';
