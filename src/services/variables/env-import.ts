import type { Settings } from '../settings.js';
import { CREDENTIAL_TYPE, type VariableService } from './service.js';

export interface EnvironmentImport {
  service: VariableService;
  userId: string;
  settings: Pick<Settings, 'storeEnvironmentVariables' | 'variablesToGetFromEnvironment'>;
  env?: Record<string, string | undefined>;
}

/**
 * Langflow's login/startup import: each listed environment variable that is set becomes a Credential
 * variable of the user, unless the user already has one by that name. Returns the names imported.
 */
export async function importEnvironmentVariables({ service, userId, settings, env = process.env }: EnvironmentImport): Promise<string[]> {
  if (!settings.storeEnvironmentVariables) return [];
  const imported: string[] = [];
  for (const name of settings.variablesToGetFromEnvironment) {
    const value = env[name];
    if (value === undefined || value === '' || (await service.exists(userId, name))) continue;
    await service.create(userId, { name, value, type: CREDENTIAL_TYPE, default_fields: [] });
    imported.push(name);
  }
  return imported;
}
