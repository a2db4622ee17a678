/** A variable request the HTTP layer answers with `status` and `{"detail": detail}`. */
export class VariableError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'VariableError';
  }
}

export const VARIABLE_TEXTS = {
  nameAndValueEmpty: 'Variable name and value cannot be empty',
  nameEmpty: 'Variable name cannot be empty',
  valueEmpty: 'Variable value cannot be empty',
  nameExists: 'Variable name already exists',
  notFound: 'Variable not found',
} as const;
