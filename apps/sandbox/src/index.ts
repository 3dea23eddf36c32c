export { createSandboxApp, startSandbox } from './app';
export type { RunningSandbox, SandboxApp, SandboxAppOptions, StartSandboxOptions } from './app';
export { loadSandboxConfig, SandboxConfigError, type SandboxConfig } from './config';
export { AgencySimulator } from './agencies/agency-simulator';
export type { BehaviourEntry, CallFilter, CallOutcome, CallRecord, CallSummary } from './agencies/agency-simulator';
export type { Behaviour } from './agencies/behaviour';
export { enterpriseNumberFor, isValidEnterpriseNumber, performService } from './agencies/agency-services';
export { ROLES, type Role, type TokenRequest } from './oidc/token-request';
