import assert from 'node:assert/strict';
import { it, test } from 'node:test';
import type { ErrorCode } from '../../engine/errors.js';
import { SecretBox } from '../crypto.js';
import { createTestUser } from '../../../test-utils/auth.js';
import { describeEachDialect } from '../../../test-utils/database.js';
import { ServerCredential, serverCredentialValue } from '../../engine/server-credential.js';
import { importEnvironmentVariables } from './env-import.js';
import { VariableError } from './errors.js';
import { requestVariablesFromHeaders } from './headers.js';
import { createVariableResolver } from './resolver.js';
import { VariableService } from './service.js';

const SECRET = 'variables-test-secret';

function rejectsWith(code: ErrorCode, detail: string) {
  return (error: unknown) => {
    assert.ok(error instanceof VariableError, String(error));
    assert.deepEqual([error.code, error.detail], [code, detail]);
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
    await assert.rejects(service.create(user.id, { name: '', value: '' }), rejectsWith('invalid_request', 'Variable name and value cannot be empty'));
    await assert.rejects(service.create(user.id, { name: '', value: 'v' }), rejectsWith('invalid_request', 'Variable name cannot be empty'));
    await assert.rejects(service.create(user.id, { name: 'N', value: '' }), rejectsWith('invalid_request', 'Variable value cannot be empty'));
    const created = await service.create(user.id, { name: 'N', value: 'v' });
    await assert.rejects(service.create(user.id, { name: 'N', value: 'w' }), rejectsWith('invalid_request', 'Variable name already exists'));
    const second = await service.create(user.id, { name: 'M', value: 'v' });
    await assert.rejects(service.update(user.id, second.id, { name: 'N' }), rejectsWith('invalid_request', 'Variable name already exists'));
    await assert.rejects(service.update(other.id, created.id, { value: 'x' }), rejectsWith('not_found', 'Variable not found'));
    await assert.rejects(service.delete(other.id, created.id), rejectsWith('not_found', 'Variable not found'));
    assert.equal(await service.valueOf(other.id, 'N'), undefined);
    await service.delete(user.id, created.id);
    assert.equal(await service.exists(user.id, 'N'), false);
  });

  it('environment import adds Credential variables without overwriting', async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    await service.create(user.id, { name: 'ANTHROPIC_API_KEY', value: 'user-edited' });
    const environmentVariables = { OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'env-value' };
    const settings = { storeEnvironmentVariables: true, variablesToGetFromEnvironment: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GROQ_API_KEY'], environmentVariables };
    assert.deepEqual(await importEnvironmentVariables({ service, userId: user.id, settings }), ['OPENAI_API_KEY']);
    assert.equal(await service.valueOf(user.id, 'ANTHROPIC_API_KEY'), 'user-edited');
    assert.equal((await service.list(user.id)).find((v) => v.name === 'OPENAI_API_KEY')?.type, 'Credential');
    assert.deepEqual(await importEnvironmentVariables({ service, userId: user.id, settings }), [], 'a second login imports nothing');
    assert.deepEqual(await importEnvironmentVariables({ service, userId: user.id, settings: { ...settings, storeEnvironmentVariables: false, environmentVariables: { GROQ_API_KEY: 'g' } } }), []);
  });

  it('the resolver prefers request variables, then stored ones, then the environment', async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    await service.create(user.id, { name: 'BOTH', value: 'stored' });
    await service.create(user.id, { name: 'STORED_ONLY', value: 'stored-only', type: 'Generic' });
    // The resolver checks the allow-list itself, whatever the snapshot holds.
    const environmentVariables = { BOTH: 'env', STORED_ONLY: 'env', ENV_ONLY: 'from-env', UNLISTED: 'server-only', LANGFLOW_SECRET: 'server-secret', OLLAMA_BASE_URL: 'http://ollama:11434' };
    const settings = { secretKey: SECRET, fallbackToEnvVar: true, variablesToGetFromEnvironment: ['BOTH', 'STORED_ONLY', 'ENV_ONLY', 'LANGFLOW_SECRET', 'constructor', 'OLLAMA_BASE_URL'], environmentVariables };
    const resolver = createVariableResolver({ repos: database(), userId: user.id, requestVariables: { BOTH: 'header' }, settings });
    assert.equal(await resolver.resolve('BOTH'), 'header');
    assert.equal(await resolver.resolve('STORED_ONLY'), 'stored-only');
    assert.equal(await sealed(resolver.resolve('ENV_ONLY')), 'ENV_ONLY=from-env', "the server's credentials come sealed");
    assert.equal(await resolver.resolve('OLLAMA_BASE_URL'), 'http://ollama:11434', 'configuration (URLs, endpoints, versions, names) comes as text');
    assert.equal(await resolver.resolve('NOWHERE'), undefined);
    assert.equal(await resolver.resolve('UNLISTED'), undefined, 'only allow-listed names come from the environment');
    assert.equal(await resolver.resolve('LANGFLOW_SECRET'), undefined, 'never a server setting, even when listed');
    assert.equal(await resolver.resolve('constructor'), undefined, "an object's own keys only");
    const noFallback = createVariableResolver({ repos: database(), userId: user.id, settings: { ...settings, fallbackToEnvVar: false } });
    assert.equal(await noFallback.resolve('BOTH'), 'stored');
    assert.equal(await noFallback.resolve('ENV_ONLY'), undefined);
    const anonymous = createVariableResolver({ repos: database(), userId: null, settings });
    assert.equal(await sealed(anonymous.resolve('STORED_ONLY')), 'STORED_ONLY=env');
  });

  it("a user's variable holding one of the server's credentials (the login import's copy) resolves sealed", async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    await service.create(user.id, { name: 'OPENAI_API_KEY', value: 'sk-server' });
    await service.create(user.id, { name: 'RENAMED', value: 'sk-anthropic-server', type: 'Generic' });
    await service.create(user.id, { name: 'MINE', value: 'sk-mine' });
    const settings = {
      secretKey: SECRET,
      fallbackToEnvVar: true,
      variablesToGetFromEnvironment: ['OPENAI_API_KEY'],
      environmentVariables: { OPENAI_API_KEY: 'sk-server' },
      providerEnvironment: { OPENAI_API_KEY: 'sk-server', ANTHROPIC_API_KEY: 'sk-anthropic-server', OPENAI_BASE_URL: 'https://gateway.example/v1' },
    };
    const resolver = createVariableResolver({ repos: database(), userId: user.id, settings });
    assert.equal(await sealed(resolver.resolve('OPENAI_API_KEY')), 'OPENAI_API_KEY=sk-server');
    assert.equal(await sealed(resolver.resolve('RENAMED')), 'ANTHROPIC_API_KEY=sk-anthropic-server', 'whatever the name or type');
    assert.equal(await resolver.resolve('MINE'), 'sk-mine');
    assert.equal(JSON.stringify({ key: await resolver.resolve('OPENAI_API_KEY') }), '{"key":null}');
    assert.equal(String(await resolver.resolve('OPENAI_API_KEY')), '');
  });

  it("a Credential turns Generic only with a new value (its value would be listed in plain text), as in Langflow", async () => {
    const user = await createTestUser(database());
    const service = new VariableService(database(), SECRET);
    const credential = await service.create(user.id, { name: 'OPENAI_API_KEY', value: 'sk-server' });
    await assert.rejects(service.update(user.id, credential.id, { type: 'Generic' }), rejectsWith('invalid_request', 'Cannot change a credential variable to a generic variable without providing a new value.'));
    assert.equal((await service.list(user.id))[0].value, null);
    const generic = await service.update(user.id, credential.id, { type: 'Generic', value: 'now-public' });
    assert.equal(generic.value, 'now-public');
  });
});

/** `name=value` of a sealed server credential, or a failure naming what came instead. */
async function sealed(resolved: Promise<unknown>): Promise<string> {
  const value = await resolved;
  assert.ok(value instanceof ServerCredential, `expected a sealed server credential, got ${String(value)}`);
  return `${value.variable}=${serverCredentialValue(value)}`;
}

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
