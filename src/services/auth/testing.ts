import { randomBytes } from 'node:crypto';
import type { Database } from '../database/index.js';
import { uniqueName } from '../database/testing.js';
import type { LoginContext } from './login.js';
import { hashPassword } from './passwords.js';

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
    storeEnvironmentVariables: true,
    variablesToGetFromEnvironment: [],
    ...overrides,
  };
}

export async function createTestUser(database: Database, password = 'secret', active = true) {
  return database.users.create({ username: uniqueName('user'), passwordHash: await hashPassword(password), isActive: active, isSuperuser: false });
}
