import { randomBytes } from 'node:crypto';
import type { Database } from '../src/services/database/index.js';
import { uniqueName } from './database.js';
import type { LoginContext } from '../src/services/auth/login.js';
import { hashPassword } from '../src/services/auth/passwords.js';

export type TestSettings = LoginContext['settings'];

export function testAuthSettings(overrides: Partial<TestSettings> = {}): TestSettings {
  return {
    secretKey: randomBytes(32).toString('base64url'),
    accessTokenExpireSeconds: 3600,
    refreshTokenExpireSeconds: 604800,
    autoLogin: false,
    skipAuthAutoLogin: false,
    superuser: uniqueName('admin'),
    superuserPassword: 'admin-password',
    defaultFolderName: 'Starter Project',
    newUserIsActive: false,
    apiKeySource: 'db',
    apiKeyFromEnv: null,
    storeEnvironmentVariables: true,
    variablesToGetFromEnvironment: [],
    environmentVariables: {},
    ...overrides,
  };
}

export async function createTestUser(database: Database, password = 'secret', active = true) {
  return database.users.create({ username: uniqueName('user'), passwordHash: await hashPassword(password), isActive: active, isSuperuser: false });
}
