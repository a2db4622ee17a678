import type { Settings } from '../settings.js';
import { CREDENTIAL_TYPE, type VariableService } from './service.js';

export interface EnvironmentImport {
  service: VariableService;
  userId: string;
  settings: Pick<Settings, 'storeEnvironmentVariables' | 'variablesToGetFromEnvironment' | 'environmentVariables'>;
}

/**
 * Langflow's login/startup import: each listed environment variable that was set at start-up (the
 * settings' snapshot, which never holds a LANGFLOW_ or WEFT_ name) becomes a Credential variable of
 * the user, unless the user already has one by that name. Returns the names imported.
 */
export async function importEnvironmentVariables({ service, userId, settings }: EnvironmentImport): Promise<string[]> {
  if (!settings.storeEnvironmentVariables) return [];
  const imported: string[] = [];
  for (const name of settings.variablesToGetFromEnvironment) {
    const value = Object.hasOwn(settings.environmentVariables, name) ? settings.environmentVariables[name] : undefined;
    if (value === undefined || value === '' || (await service.exists(userId, name))) continue;
    await service.create(userId, { name, value, type: CREDENTIAL_TYPE, default_fields: [] });
    imported.push(name);
  }
  return imported;
}
