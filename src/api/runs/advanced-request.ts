import { MAX_REPORTED_ERRORS, type ValidationItem } from '../errors.js';

/** `/run/advanced`'s body after validation: every field as Langflow's `experimental_run_flow` declares it. */
export interface AdvancedRequest {
  inputs?: { components?: string[]; input_value?: string | null; session?: string | null; type?: 'chat' | 'text' | 'any' }[] | null;
  outputs?: string[] | null;
  tweaks?: Record<string, unknown> | null;
  stream?: boolean;
  session_id?: string | null;
}

const INPUT_TYPES = ['chat', 'text', 'any'];
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks the parsed body field by field as pydantic checks the handler's `Body` parameters
 * (`inputs: list[InputValueRequest] | None`, `outputs: list[str] | None`, `tweaks: Tweaks | None`,
 * `stream: bool`, `session_id: str | None`), so a string `inputs` is a 422, not one run per character.
 */
export function advancedRequestErrors(body: Record<string, unknown>): ValidationItem[] {
  const errors: ValidationItem[] = [];
  const at = (...loc: (string | number)[]) => ['body', ...loc];
  const stringOrNull = (value: unknown, ...loc: (string | number)[]) => {
    if (value !== undefined && value !== null && typeof value !== 'string') errors.push({ type: 'string_type', loc: at(...loc), msg: 'Input should be a valid string', input: value });
  };
  const stringList = (value: unknown, ...loc: (string | number)[]) => {
    if (value === undefined || value === null) return;
    if (!Array.isArray(value)) {
      errors.push({ type: 'list_type', loc: at(...loc), msg: 'Input should be a valid list', input: value });
      return;
    }
    value.forEach((item, index) => {
      if (typeof item !== 'string' && errors.length < MAX_REPORTED_ERRORS) errors.push({ type: 'string_type', loc: at(...loc, index), msg: 'Input should be a valid string', input: item });
    });
  };

  const inputs = body.inputs;
  if (inputs !== undefined && inputs !== null && !Array.isArray(inputs)) {
    errors.push({ type: 'list_type', loc: at('inputs'), msg: 'Input should be a valid list', input: inputs });
  } else if (Array.isArray(inputs)) {
    inputs.forEach((input: unknown, index) => {
      // Only the first errors are reported: a million bad items make no million error objects.
      if (errors.length >= MAX_REPORTED_ERRORS) return;
      if (!isRecord(input)) {
        errors.push({ type: 'model_type', loc: at('inputs', index), msg: 'Input should be a valid dictionary or instance of InputValueRequest', input });
        return;
      }
      stringList(input.components, 'inputs', index, 'components');
      stringOrNull(input.input_value, 'inputs', index, 'input_value');
      stringOrNull(input.session, 'inputs', index, 'session');
      if (input.type !== undefined && input.type !== null && !INPUT_TYPES.includes(input.type as string)) {
        errors.push({ type: 'literal_error', loc: at('inputs', index, 'type'), msg: "Input should be 'chat', 'text' or 'any'", input: input.type });
      }
    });
  }
  stringList(body.outputs, 'outputs');
  if (body.tweaks !== undefined && body.tweaks !== null && !isRecord(body.tweaks)) {
    errors.push({ type: 'dict_type', loc: at('tweaks'), msg: 'Input should be a valid dictionary', input: body.tweaks });
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean' && parseLaxBool(body.stream) === null) {
    errors.push({ type: 'bool_parsing', loc: at('stream'), msg: 'Input should be a valid boolean, unable to interpret input', input: body.stream });
  }
  stringOrNull(body.session_id, 'session_id');
  return errors;
}

/** pydantic's lax booleans: 0/1 and the usual words. */
export function parseLaxBool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string' && TRUE_WORDS.has(value.toLowerCase())) return true;
  if (typeof value === 'string' && FALSE_WORDS.has(value.toLowerCase())) return false;
  return null;
}
