import assert from 'node:assert/strict';
import { it, test } from 'node:test';
import { SecretBox } from '../crypto.js';
import { createTestUser } from '../auth/testing.js';
import { describeEachDialect } from '../database/testing.js';
import { importEnvironmentVariables } from './env-import.js';
import { VariableError } from './errors.js';
import { requestVariablesFromHeaders } from './headers.js';
import { createVariableResolver } from './resolver.js';
import { VariableService } from './service.js';

const SECRET = 'variables-test-secret';

function rejectsWith(status: number, detail: string) {
  return (error: unknown) => {
    assert.ok(error instanceof VariableError, String(error));
    assert.deepEqual([error.status, error.detail], [status, detail]);
    return true;
  };
}

describeEachDialect('variables', (database) => {
  it('Credential values are encrypted at rest and never read back; Generic values are plain', async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    const credential = await service.create(user.id, { name: 'OPENAI_API_KEY', value: 'sk-plain-secret', default_fields: ['api_key'] });
    assert.deepEqual(credential, { id: credential.id, name: 'OPENAI_API_KEY', type: 'Credential', value: null, default_fields: ['api_key'] });
    const stored = await database().variables.getForUser(credential.id, user.id);
    assert.ok(stored && stored.value !== 'sk-plain-secret' && !stored.value.includes('plain-secret'));
    assert.equal(new SecretBox(SECRET).decrypt(stored.value), 'sk-plain-secret');
    assert.equal(await service.valueOf(user.id, 'OPENAI_API_KEY'), 'sk-plain-secret');

    const generic = await service.create(user.id, { name: 'REGION', value: 'eu', type: 'Generic' });
    assert.equal(generic.value, 'eu');
    assert.equal((await database().variables.getForUser(generic.id, user.id))?.value, 'eu');
    await service.create(user.id, { name: '__internal__', value: 'x', type: 'Generic' });
    assert.deepEqual((await service.list(user.id)).map((v) => v.name), ['OPENAI_API_KEY', 'REGION']);

    const sealed = await service.update(user.id, generic.id, { type: 'Credential' });
    assert.equal(sealed.value, null);
    assert.equal(await service.valueOf(user.id, 'REGION'), 'eu', 'a type change re-seals the same value');
    assert.notEqual((await database().variables.getForUser(generic.id, user.id))?.value, 'eu');
  });

  it("rejects empty and duplicate names with Langflow's texts, and other users' ids", async () => {
    const [user, other] = [await createTestUser(database()), await createTestUser(database())];
    const service = new VariableService(database(), SECRET);
    await assert.rejects(service.create(user.id, { name: '', value: '' }), rejectsWith(400, 'Variable name and value cannot be empty'));
    await assert.rejects(service.create(user.id, { name: '', value: 'v' }), rejectsWith(400, 'Variable name cannot be empty'));
    await assert.rejects(service.create(user.id, { name: 'N', value: '' }), rejectsWith(400, 'Variable value cannot be empty'));
    const created = await service.create(user.id, { name: 'N', value: 'v' });
    await assert.rejects(service.create(user.id, { name: 'N', value: 'w' }), rejectsWith(400, 'Variable name already exists'));
    const second = await service.create(user.id, { name: 'M', value: 'v' });
    await assert.rejects(service.update(user.id, second.id, { name: 'N' }), rejectsWith(400, 'Variable name already exists'));
    await assert.rejects(service.update(other.id, created.id, { value: 'x' }), rejectsWith(404, 'Variable not found'));
    await assert.rejects(service.delete(other.id, created.id), rejectsWith(404, 'Variable not found'));
    assert.equal(await service.valueOf(other.id, 'N'), undefined);
    await service.delete(user.id, created.id);
    assert.equal(await service.exists(user.id, 'N'), false);
  });

  it('environment import adds Credential variables without overwriting', async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    await service.create(user.id, { name: 'ANTHROPIC_API_KEY', value: 'user-edited' });
    const settings = { storeEnvironmentVariables: true, variablesToGetFromEnvironment: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GROQ_API_KEY'] };
    const env = { OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'env-value' };
    assert.deepEqual(await importEnvironmentVariables({ service, userId: user.id, settings, env }), ['OPENAI_API_KEY']);
    assert.equal(await service.valueOf(user.id, 'ANTHROPIC_API_KEY'), 'user-edited');
    assert.equal((await service.list(user.id)).find((v) => v.name === 'OPENAI_API_KEY')?.type, 'Credential');
    assert.deepEqual(await importEnvironmentVariables({ service, userId: user.id, settings, env }), [], 'a second login imports nothing');
    assert.deepEqual(await importEnvironmentVariables({ service, userId: user.id, settings: { ...settings, storeEnvironmentVariables: false }, env: { GROQ_API_KEY: 'g' } }), []);
  });

  it('the resolver prefers request variables, then stored ones, then the environment', async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    await service.create(user.id, { name: 'BOTH', value: 'stored' });
    await service.create(user.id, { name: 'STORED_ONLY', value: 'stored-only', type: 'Generic' });
    const env = { BOTH: 'env', STORED_ONLY: 'env', ENV_ONLY: 'from-env' };
    const settings = { secretKey: SECRET, fallbackToEnvVar: true };
    const resolver = createVariableResolver({ repos: database(), userId: user.id, requestVariables: { BOTH: 'header' }, settings, env });
    assert.equal(await resolver.resolve('BOTH'), 'header');
    assert.equal(await resolver.resolve('STORED_ONLY'), 'stored-only');
    assert.equal(await resolver.resolve('ENV_ONLY'), 'from-env');
    assert.equal(await resolver.resolve('NOWHERE'), undefined);
    const noFallback = createVariableResolver({ repos: database(), userId: user.id, settings: { ...settings, fallbackToEnvVar: false }, env });
    assert.equal(await noFallback.resolve('BOTH'), 'stored');
    assert.equal(await noFallback.resolve('ENV_ONLY'), undefined);
    const anonymous = createVariableResolver({ repos: database(), userId: null, settings, env });
    assert.equal(await anonymous.resolve('STORED_ONLY'), 'env');
  });
});

test("header mapping follows Langflow's code: upper-cased, dashes kept", () => {
  const fromRecord = requestVariablesFromHeaders({
    'x-langflow-global-var-openai_api_key': 'sk-1',
    'X-LANGFLOW-GLOBAL-VAR-API-KEY': 'k',
    'x-langflow-global-var-multi': ['first', 'last'],
    'x-langflow-global-var-': 'nameless',
    'content-type': 'application/json',
    'x-api-key': 'sk-x',
  });
  assert.deepEqual(fromRecord, { OPENAI_API_KEY: 'sk-1', 'API-KEY': 'k', MULTI: 'last' });
  const fromHeaders = requestVariablesFromHeaders(new Headers({ 'X-Langflow-Global-Var-Region': 'eu' }));
  assert.deepEqual(fromHeaders, { REGION: 'eu' });
});
