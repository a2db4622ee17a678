export { VariableError, VARIABLE_TEXTS } from './errors.js';
export { CREDENTIAL_TYPE, GENERIC_TYPE, VariableService, type VariableCreate, type VariableRead, type VariableUpdate } from './service.js';
export { importEnvironmentVariables, type EnvironmentImport } from './env-import.js';
export { requestVariablesFromHeaders, type HeaderBag } from './headers.js';
export { createEnvironmentResolver, createVariableResolver, environmentFallback, type EnvironmentFallback, type VariableResolverOptions } from './resolver.js';
