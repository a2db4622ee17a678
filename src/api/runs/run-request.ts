import type { InputType, OutputType } from '../../engine/index.js';
import { parseUntrustedJson, tweakedInputVertices, UnsafeKeyError } from '../../engine/index.js';
import { badRequest, validationError } from '../errors.js';

/** Langflow's SimplifiedAPIRequest after its lenient parsing. */
export interface SimplifiedRequest {
  input_value: string | null;
  input_type: InputType;
  output_type: OutputType;
  output_component: string;
  tweaks: Record<string, unknown> | null;
  session_id: string | null;
}

const DEFAULT_REQUEST: SimplifiedRequest = { input_value: null, input_type: 'chat', output_type: 'chat', output_component: '', tweaks: null, session_id: null };
const INPUT_TYPES = new Set(['chat', 'text', 'any']);
const OUTPUT_TYPES = new Set(['chat', 'text', 'any', 'debug']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Parses `/run`'s body as Langflow does (CODE WINS, §A.2): the documented flat body or the embedded
 * `{"input_request": {...}}`; unknown keys ignored; a body that fails validation becomes the default
 * request instead of a 422.
 */
export function parseSimplifiedRequest(raw: string | undefined): SimplifiedRequest {
  if (!raw || raw.trim() === '') return { ...DEFAULT_REQUEST };
  let body: unknown;
  try {
    body = parseUntrustedJson(raw);
  } catch (error) {
    // Lenient about malformed JSON as Langflow is, but never about a key that reaches a prototype.
    if (error instanceof UnsafeKeyError) throw error;
    return { ...DEFAULT_REQUEST };
  }
  if (!isRecord(body)) return { ...DEFAULT_REQUEST };
  const candidate = isRecord(body.input_request) ? body.input_request : body;
  const parsed = { ...DEFAULT_REQUEST };
  const valid =
    assign(candidate, 'input_value', (v) => v === null || typeof v === 'string', parsed) &&
    assign(candidate, 'input_type', (v) => typeof v === 'string' && INPUT_TYPES.has(v), parsed) &&
    assign(candidate, 'output_type', (v) => typeof v === 'string' && OUTPUT_TYPES.has(v), parsed) &&
    assign(candidate, 'output_component', (v) => typeof v === 'string', parsed) &&
    assign(candidate, 'tweaks', (v) => v === null || isRecord(v), parsed) &&
    assign(candidate, 'session_id', (v) => v === null || typeof v === 'string', parsed);
  return valid ? parsed : { ...DEFAULT_REQUEST };
}

function assign<K extends keyof SimplifiedRequest>(source: Record<string, unknown>, key: K, ok: (value: unknown) => boolean, target: SimplifiedRequest): boolean {
  if (!Object.hasOwn(source, key)) return true;
  const value = source[key];
  if (!ok(value)) return false;
  target[key] = value as SimplifiedRequest[K];
  return true;
}

/** 400 when the request's input would be overwritten by a tweak of the same chat/text input. */
export function checkInputTweakClash(request: Pick<SimplifiedRequest, 'input_value' | 'input_type' | 'tweaks'>): void {
  if (!request.input_value) return;
  for (const key of tweakedInputVertices(request.tweaks)) {
    const chat = (key.includes('ChatInput') || key.includes('Chat Input')) && request.input_type === 'chat';
    const text = (key.includes('TextInput') || key.includes('Text Input')) && request.input_type === 'text';
    if (chat) throw badRequest('If you pass an input_value to the chat input, you cannot pass a tweak with the same name.');
    if (text) throw badRequest('If you pass an input_value to the text input, you cannot pass a tweak with the same name.');
  }
}

/**
 * PostgreSQL's text cannot hold U+0000 (SQLite's can): an input or session id with one would fail the
 * run when its chat message is stored, as Langflow's run-error 500. Refused up front as a 422 instead.
 */
export function refuseUnstorableText(body: SimplifiedRequest, storesNul: boolean): void {
  if (storesNul) return;
  for (const key of ['input_value', 'session_id'] as const) {
    const value = body[key];
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw validationError([{ type: 'value_error', loc: ['body', key], msg: 'Value error, Text cannot contain the NUL character (\\u0000) on a PostgreSQL database', input: value }]);
    }
  }
}
