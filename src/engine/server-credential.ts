import { inspect } from 'node:util';

/** The values, readable only through `serverCredentialValue`: nothing on an instance leads to them. */
const values = new WeakMap<ServerCredential, string>();

/**
 * A credential of the server itself (the operator's OPENAI_API_KEY...), as a run carries it. Users may
 * have a model use it, never read it or send it elsewhere: it is not a string, prints and serialises
 * as nothing (`String`, JSON, `structuredClone`, logs), and reaches only fields a component declares as
 * secrets (`resolveVariables`). A model provider unwraps it with `serverCredentialValue` after checking
 * where the key would go (models_and_agents/providers/credentials.ts).
 */
export class ServerCredential {
  constructor(
    /** The environment variable the value comes from. */
    readonly variable: string,
    value: string,
  ) {
    values.set(this, value);
  }

  toString(): string {
    return '';
  }

  toJSON(): null {
    return null;
  }

  [inspect.custom](): string {
    return `ServerCredential(${this.variable})`;
  }
}

export function serverCredentialValue(credential: ServerCredential): string {
  return values.get(credential) ?? '';
}
