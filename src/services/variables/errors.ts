import { WeftError } from '../../engine/errors.js';

/** A refused variable request, with Langflow's detail (a duplicate name is Langflow's 400, not a conflict). */
export class VariableError extends WeftError {
  declare readonly detail: string;

  constructor(code: 'invalid_request' | 'not_found', detail: string) {
    super(code, detail);
  }
}

export const VARIABLE_TEXTS = {
  nameAndValueEmpty: 'Variable name and value cannot be empty',
  nameEmpty: 'Variable name cannot be empty',
  valueEmpty: 'Variable value cannot be empty',
  nameExists: 'Variable name already exists',
  notFound: 'Variable not found',
  /** Langflow's words (its route answers them with 500; Weft with 400). */
  credentialToGeneric: 'Cannot change a credential variable to a generic variable without providing a new value.',
} as const;
