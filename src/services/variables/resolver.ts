import type { VariableResolver } from '../../engine/component.js';
import { ServerCredential } from '../../engine/server-credential.js';
import type { Repositories } from '../database/index.js';
import { isCredentialVariable, mayReadFromEnvironment, serverCredentialsByValue, type Settings } from '../settings.js';
import { VariableService } from './service.js';

/** What decides a `load_from_db` name's fallback to the server's environment (captured at start-up). */
export type EnvironmentFallback = Pick<Settings, 'fallbackToEnvVar' | 'variablesToGetFromEnvironment' | 'environmentVariables'> &
  Partial<Pick<Settings, 'providerEnvironment'>>;

export interface VariableResolverOptions {
  repos: Pick<Repositories, 'variables'>;
  /** The user running the flow; without one only request and environment variables resolve. */
  userId: string | null;
  requestVariables?: Record<string, string>;
  settings: Pick<Settings, 'secretKey'> & EnvironmentFallback;
}

/**
 * A name's value from the server's environment, when a flow may have it: fallback on
 * (`LANGFLOW_FALLBACK_TO_ENV_VAR`) and the name allow-listed (`mayReadFromEnvironment`). Read from the
 * settings' snapshot, never from `process.env`. A credential comes sealed (`ServerCredential`): a
 * model may use it, no flow may read it.
 */
export function environmentFallback(name: string, settings: EnvironmentFallback): string | ServerCredential | undefined {
  if (!settings.fallbackToEnvVar || !mayReadFromEnvironment(name, settings.variablesToGetFromEnvironment)) return undefined;
  if (!Object.hasOwn(settings.environmentVariables, name)) return undefined;
  const value = settings.environmentVariables[name];
  return isCredentialVariable(name) ? new ServerCredential(name, value) : value;
}

/**
 * Langflow's lookup order for `load_from_db` fields: request headers, the user's variable, then the
 * environment (allow-listed provider credentials only, see `environmentFallback`). A stored variable
 * holding one of the server's credentials (the login import copies them into every account) is
 * sealed like the environment's own value.
 */
export function createVariableResolver(options: VariableResolverOptions): VariableResolver {
  const { repos, userId, requestVariables = {}, settings } = options;
  const service = new VariableService(repos, settings.secretKey);
  const serverCredentials = serverCredentialsByValue(settings.environmentVariables, settings.providerEnvironment ?? {});
  return {
    async resolve(name: string): Promise<string | ServerCredential | undefined> {
      if (Object.hasOwn(requestVariables, name)) return requestVariables[name];
      if (userId !== null) {
        const stored = await service.valueOf(userId, name);
        const server = stored === undefined ? undefined : serverCredentials.get(stored);
        if (server !== undefined) return new ServerCredential(server, stored!);
        if (stored !== undefined) return stored;
      }
      return environmentFallback(name, settings);
    },
  };
}

/** The resolver of a run with no database (`weft run FLOW.json`): the environment fallback alone. */
export function createEnvironmentResolver(settings: EnvironmentFallback): VariableResolver {
  return { resolve: async (name: string) => environmentFallback(name, settings) };
}
