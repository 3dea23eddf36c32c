/**
 * @levensloop/domain: the pure domain model and rules. No I/O, no Node built-ins, no clock or
 * randomness, so workflows can import it.
 */
export * from './model';
export * from './problem';
export * from './durations';
export * from './conditions';
export * from './graph';
export * from './validation';
export * from './planning';
export * from './journey-state';
export * from './data-requirements';
export * from './decisions';
export * from './outputs';
export * from './endpoint-hosts';
export * from './mandates';
export * from './journey-updates';
export * from './compensation';
export * from './access';
export * from './identifiers';
export * from './tasks';
export * from './lateness';
export * from './teams';
export * from './legal-clock';
export * from './objections';
export * from './appeals';
export * from './documents';
export * from './agency-roles';
export * from './information-due';
export * from './agency-teams';
export * from './granted-mandates';
export * from './evidence';
export * from './appointments';
export * from './payments';
