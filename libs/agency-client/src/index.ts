export * from './agency-client';
