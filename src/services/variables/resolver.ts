import type { VariableResolver } from '../../engine/component.js';
import type { Repositories } from '../database/index.js';
import type { Settings } from '../settings.js';
import { VariableService } from './service.js';

export interface VariableResolverOptions {
  repos: Pick<Repositories, 'variables'>;
  /** The user running the flow; without one only request and environment variables resolve. */
  userId: string | null;
  requestVariables?: Record<string, string>;
  settings: Pick<Settings, 'secretKey' | 'fallbackToEnvVar'>;
  env?: Record<string, string | undefined>;
}

/** Langflow's lookup order for `load_from_db` fields: request headers, the user's variable, then the environment. */
export function createVariableResolver(options: VariableResolverOptions): VariableResolver {
  const { repos, userId, requestVariables = {}, settings, env = process.env } = options;
  const service = new VariableService(repos, settings.secretKey);
  return {
    async resolve(name: string): Promise<string | undefined> {
      if (Object.hasOwn(requestVariables, name)) return requestVariables[name];
      if (userId !== null) {
        const stored = await service.valueOf(userId, name);
        if (stored !== undefined) return stored;
      }
      return settings.fallbackToEnvVar ? env[name] : undefined;
    },
  };
}
