import { SecretBox } from '../crypto.js';
import { UniqueViolationError, type Repositories, type VariableRecord } from '../database/index.js';
import { VARIABLE_TEXTS, VariableError } from './errors.js';

export const CREDENTIAL_TYPE = 'Credential';
export const GENERIC_TYPE = 'Generic';

/** Langflow's VariableRead: a Credential's value never leaves the server. */
export interface VariableRead {
  id: string;
  name: string;
  type: string;
  value: string | null;
  default_fields: string[];
}

export interface VariableCreate {
  name: string;
  value: string;
  type?: string;
  default_fields?: string[];
}

export interface VariableUpdate {
  name?: string;
  value?: string;
  type?: string;
  default_fields?: string[];
}

/** Names wrapped in `__…__` are internal and hidden from listings, as in Langflow. */
function isInternalName(name: string): boolean {
  return name.startsWith('__') && name.endsWith('__');
}

function checkNameAndValue(name: string | undefined, value: string | undefined): void {
  const noName = name === undefined || name.trim() === '';
  const noValue = value === undefined || value === '';
  if (noName && noValue) throw new VariableError('invalid_request', VARIABLE_TEXTS.nameAndValueEmpty);
  if (noName) throw new VariableError('invalid_request', VARIABLE_TEXTS.nameEmpty);
  if (noValue) throw new VariableError('invalid_request', VARIABLE_TEXTS.valueEmpty);
}

/** Global variables of a user: Credential values encrypted at rest, Generic values plain. */
export class VariableService {
  private readonly box: SecretBox;

  constructor(
    private readonly repos: Pick<Repositories, 'variables'>,
    secretKey: string,
  ) {
    this.box = new SecretBox(secretKey);
  }

  private seal(type: string, value: string): string {
    return type === CREDENTIAL_TYPE ? this.box.encrypt(value) : value;
  }

  private plaintext(record: VariableRecord): string {
    return record.type === CREDENTIAL_TYPE ? this.box.decrypt(record.value) : record.value;
  }

  private toRead(record: VariableRecord): VariableRead {
    return {
      id: record.id,
      name: record.name,
      type: record.type,
      value: record.type === CREDENTIAL_TYPE ? null : record.value,
      default_fields: record.default_fields,
    };
  }

  async create(userId: string, input: VariableCreate): Promise<VariableRead> {
    checkNameAndValue(input.name, input.value);
    const type = input.type ?? CREDENTIAL_TYPE;
    if (await this.repos.variables.getByName(userId, input.name)) throw new VariableError('invalid_request', VARIABLE_TEXTS.nameExists);
    try {
      const record = await this.repos.variables.create(userId, {
        name: input.name,
        value: this.seal(type, input.value),
        type,
        defaultFields: input.default_fields ?? [],
      });
      return this.toRead(record);
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new VariableError('invalid_request', VARIABLE_TEXTS.nameExists);
      throw error;
    }
  }

  async list(userId: string): Promise<VariableRead[]> {
    const records = await this.repos.variables.listForUser(userId);
    return records.filter((r) => !isInternalName(r.name)).map((r) => this.toRead(r));
  }

  async update(userId: string, id: string, patch: VariableUpdate): Promise<VariableRead> {
    const current = await this.repos.variables.getForUser(id, userId);
    if (!current) throw new VariableError('not_found', VARIABLE_TEXTS.notFound);
    if (patch.name !== undefined && patch.name.trim() === '') throw new VariableError('invalid_request', VARIABLE_TEXTS.nameEmpty);
    if (patch.value === '') throw new VariableError('invalid_request', VARIABLE_TEXTS.valueEmpty);
    const type = patch.type ?? current.type;
    // A Credential's value never leaves the server: made Generic it would be listed in plain text (the
    // login import's copies of the server's own keys included), so it needs a new value.
    if (current.type === CREDENTIAL_TYPE && type !== CREDENTIAL_TYPE && patch.value === undefined) throw new VariableError('invalid_request', VARIABLE_TEXTS.credentialToGeneric);
    // A type change re-seals the value: Credential → encrypted, Generic → plain.
    const value = patch.value ?? (type !== current.type ? this.plaintext(current) : undefined);
    try {
      const updated = await this.repos.variables.update(id, userId, {
        name: patch.name,
        type: patch.type,
        defaultFields: patch.default_fields,
        value: value === undefined ? undefined : this.seal(type, value),
      });
      if (!updated) throw new VariableError('not_found', VARIABLE_TEXTS.notFound);
      return this.toRead(updated);
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new VariableError('invalid_request', VARIABLE_TEXTS.nameExists);
      throw error;
    }
  }

  async delete(userId: string, id: string): Promise<void> {
    if (!(await this.repos.variables.delete(id, userId))) throw new VariableError('not_found', VARIABLE_TEXTS.notFound);
  }

  /** The decrypted value of the user's variable `name`, for flow runs only. */
  async valueOf(userId: string, name: string): Promise<string | undefined> {
    const record = await this.repos.variables.getByName(userId, name);
    return record && this.plaintext(record);
  }

  async exists(userId: string, name: string): Promise<boolean> {
    return (await this.repos.variables.getByName(userId, name)) !== undefined;
  }
}
