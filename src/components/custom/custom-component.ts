import type { ComponentContext, ComponentDeclaration, ComponentDefinition, InputDecl, InputKind, OutputDecl, TemplateField } from '../../engine/component.js';
import { WeftError } from '../../engine/errors.js';
import type { NodeJson } from '../../engine/flow-json.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { isUnsafeKey } from '../../engine/safe-json.js';
import { ServerCredential } from '../../engine/server-credential.js';

/**
 * Weft custom components: TypeScript a user wrote (`export default component({...})`, see
 * docs/custom-components.md), carried in the node's `code` field as Langflow carries Python. The engine
 * runs each output through the host's sandbox (`ctx.services.customComponents`); here the code is only
 * recognised, never run. Values cross as JSON copies: Message/Data/DataFrame become tagged plain objects.
 */

/** The host's sandbox (src/services/sandbox). */
export interface CustomComponentRunner {
  run(call: { code: string; owner: string; component: string; output: string; params: unknown; info: unknown }): Promise<{ value: unknown; logs: string[] }>;
}

declare module '../../engine/component.js' {
  interface EngineServices {
    customComponents?: CustomComponentRunner;
  }
}

export const CUSTOM_CATEGORY = 'Custom';
const WEFT_IMPORT = /\bfrom\s*["']weft["']/;
export const isWeftComponentCode = (code: unknown): code is string => typeof code === 'string' && WEFT_IMPORT.test(code);

/** A declaration the host refused: what is wrong, by field. */
export class DeclarationError extends WeftError {
  constructor(message: string) {
    super('invalid_request', `Invalid custom component: ${message}`);
  }
}

export const DECLARED_KINDS: readonly InputKind[] = ['text', 'message', 'data', 'dataframe', 'bool', 'int', 'float', 'dict', 'secret', 'other'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const str = (value: unknown, field: string, required = false): string | undefined => {
  if (value === undefined || value === null) {
    if (required) throw new DeclarationError(`${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new DeclarationError(`${field} must be a string`);
  return value.slice(0, 2000);
};

/** The declaration the sandbox read from the code, checked field by field (nothing of it is trusted). */
export function checkDeclaration(raw: Record<string, unknown>): ComponentDeclaration & { computeNames: string[] } {
  const type = str(raw.type, 'type', true)!;
  if (!NAME.test(type)) throw new DeclarationError('type must be an identifier (letters, digits, _; at most 64)');
  if (!Array.isArray(raw.inputs)) throw new DeclarationError('inputs must be a list');
  if (!Array.isArray(raw.outputs) || raw.outputs.length === 0) throw new DeclarationError('outputs must be a non-empty list');
  const computeNames = Array.isArray(raw.computeNames) ? raw.computeNames.filter((n): n is string => typeof n === 'string') : [];
  const seen = new Set<string>();
  const inputs: InputDecl[] = raw.inputs.map((item: unknown, i: number) => {
    const input = (item ?? {}) as Record<string, unknown>;
    const name = str(input.name, `inputs[${i}].name`, true)!;
    if (!NAME.test(name) || name === 'code' || isUnsafeKey(name)) throw new DeclarationError(`inputs[${i}].name "${name}" is not a usable field name`);
    if (seen.has(name)) throw new DeclarationError(`inputs[${i}].name "${name}" appears twice`);
    seen.add(name);
    const kind = input.kind as InputKind;
    if (!DECLARED_KINDS.includes(kind)) throw new DeclarationError(`inputs[${i}].kind must be one of ${DECLARED_KINDS.join(', ')}`);
    const options = Array.isArray(input.options) ? input.options.filter((o): o is string => typeof o === 'string') : undefined;
    return {
      name, kind, displayName: str(input.displayName, `inputs[${i}].displayName`) ?? name, info: str(input.info, `inputs[${i}].info`),
      default: jsonCopy(input.default), required: input.required === true, advanced: input.advanced === true, list: input.list === true,
      multiline: input.multiline === true, toolMode: input.toolMode === true, options,
      inputTypes: kind === 'message' || kind === 'text' ? ['Message'] : kind === 'data' ? ['Data'] : kind === 'dataframe' ? ['DataFrame'] : undefined,
      ...(kind === 'secret' ? { password: true, loadFromDb: false } : {}),
    };
  });
  const outputs: OutputDecl[] = raw.outputs.map((item: unknown, i: number) => {
    const output = (item ?? {}) as Record<string, unknown>;
    const name = str(output.name, `outputs[${i}].name`, true)!;
    if (!NAME.test(name) || name === 'component_as_tool') throw new DeclarationError(`outputs[${i}].name "${name}" is not a usable output name`);
    if (!computeNames.includes(name)) throw new DeclarationError(`output "${name}" has no compute function`);
    const types = Array.isArray(output.types) ? output.types.filter((t): t is string => typeof t === 'string') : [];
    return { name, displayName: str(output.displayName, `outputs[${i}].displayName`) ?? name, types: types.length > 0 ? types : ['Message'], method: name };
  });
  return {
    type, displayName: str(raw.displayName, 'displayName') ?? type, description: str(raw.description, 'description') ?? '',
    icon: str(raw.icon, 'icon') ?? 'code', category: CUSTOM_CATEGORY, inputs, outputs, computeNames,
  };
}

function jsonCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Widget classes back to input kinds, for nodes read from a saved flow. */
const KIND_OF_INPUT_CLASS: Record<string, InputKind> = {
  MessageTextInput: 'text', StrInput: 'text', MultilineInput: 'text', DropdownInput: 'text', MessageInput: 'message', DataInput: 'data',
  DataFrameInput: 'dataframe', BoolInput: 'bool', IntInput: 'int', FloatInput: 'float', DictInput: 'dict', SecretStrInput: 'secret', HandleInput: 'other',
};

/** The component a node with Weft code defines: its inputs and outputs as saved, each output run in the sandbox. */
export function customDefinitionFromNode(node: NodeJson): ComponentDefinition | undefined {
  const body = node.data.node;
  const code = (body?.template as Record<string, TemplateField> | undefined)?.code?.value;
  if (!body || !isWeftComponentCode(code)) return undefined;
  const inputs: InputDecl[] = [];
  for (const [name, field] of Object.entries((body.template ?? {}) as Record<string, TemplateField>)) {
    if (name === 'code' || name === '_type' || name === 'tools_metadata' || !field || typeof field !== 'object') continue;
    const kind = KIND_OF_INPUT_CLASS[String(field._input_type)] ?? (field.type === 'bool' ? 'bool' : field.type === 'int' ? 'int' : field.type === 'float' ? 'float' : 'text');
    inputs.push({ name, kind, list: field.list === true, toolMode: field.tool_mode === true, info: typeof field.info === 'string' ? field.info : undefined });
  }
  // The declared outputs travel in the node's metadata (`weft_outputs`): in tool mode its `outputs` are only the toolset.
  const declared = (body.metadata as { weft_outputs?: unknown } | undefined)?.weft_outputs;
  const listed = Array.isArray(declared) ? declared : body.outputs;
  const saved = Array.isArray(listed) ? (listed as { name?: unknown; types?: unknown; method?: unknown }[]) : [];
  const outputs: OutputDecl[] = saved
    .filter((o) => typeof o.name === 'string' && o.name !== 'component_as_tool')
    .map((o) => ({ name: o.name as string, types: Array.isArray(o.types) ? (o.types as string[]) : ['Message'], method: typeof o.method === 'string' ? o.method : (o.name as string) }));
  const declaration: ComponentDeclaration = {
    type: node.data.type, displayName: String(body.display_name ?? node.data.type), description: typeof body.description === 'string' ? body.description : '',
    category: CUSTOM_CATEGORY, inputs, outputs,
  };
  return customDefinition(declaration, code);
}

export function customDefinition(declaration: ComponentDeclaration, code: string): ComponentDefinition {
  const compute: ComponentDefinition['compute'] = {};
  for (const output of declaration.outputs) compute[output.name] = (ctx) => runOutput(ctx, code, output);
  return { ...declaration, compute };
}

async function runOutput(ctx: ComponentContext, code: string, output: OutputDecl): Promise<unknown> {
  const runner = ctx.services.customComponents;
  if (!runner) throw new WeftError('invalid_request', `Custom component "${ctx.displayName}": this server runs no custom code`);
  const owner = ctx.run.userId;
  if (!owner) throw new WeftError('unauthenticated', `Custom component "${ctx.displayName}": only a signed-in user's flow may run custom code`);
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ctx.params)) params[name] = toSandbox(value, ctx.displayName, name);
  const info = { componentId: ctx.vertexId, displayName: ctx.displayName, flowId: ctx.run.flowId, sessionId: ctx.run.sessionId, userId: owner };
  const result = await runner.run({ code, owner, component: ctx.displayName, output: output.name, params, info });
  for (const line of result.logs) ctx.log(line);
  return fromSandbox(result.value, output.types);
}

/** A value as the sandbox receives it: JSON only, Message/Data/DataFrame tagged; a server credential never. */
export function toSandbox(value: unknown, component: string, field: string, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (depth > 64) throw new WeftError('invalid_request', `Custom component "${component}": the value of ${field} is nested too deeply`);
  if (value instanceof ServerCredential) {
    throw new WeftError('invalid_request', `Custom component "${component}": ${field} names a server credential, which custom code may not read; store your own key as a global variable`);
  }
  if (value instanceof Message) return { __weft: 'Message', text: value.text, sender: value.sender, sender_name: value.sender_name, session_id: value.session_id, files: value.files };
  if (value instanceof Data) return { __weft: 'Data', data: toSandbox(value.data, component, field, depth + 1), text_key: value.textKey, text: value.text };
  if (value instanceof DataFrame) return { __weft: 'DataFrame', rows: toSandbox(value.toJSON(), component, field, depth + 1) };
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toSandbox(item, component, field, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item !== 'function') plain[key] = toSandbox(item, component, field, depth + 1);
  return plain;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const asRows = (rows: unknown): Record<string, unknown>[] => (Array.isArray(rows) ? rows.map((r) => (isRecord(r) ? r : { value: r })) : []);

/** A value the sandbox returned, as the output's first type asks (a string becomes a Message for a Message output...). */
export function fromSandbox(value: unknown, types: string[]): unknown {
  const tag = isRecord(value) ? value.__weft : undefined;
  if (isRecord(value) && tag === 'Message') {
    const text = typeof value.text === 'string' ? value.text : String(value.text ?? '');
    const name = typeof value.sender_name === 'string' ? value.sender_name : undefined;
    return new Message({ text, sender: typeof value.sender === 'string' ? value.sender : undefined, sender_name: name });
  }
  if (isRecord(value) && tag === 'Data') return new Data(isRecord(value.data) ? value.data : {}, typeof value.text_key === 'string' ? value.text_key : 'text');
  if (isRecord(value) && tag === 'DataFrame') return new DataFrame(asRows(value.rows));
  const wanted = types[0] ?? '';
  if (wanted === 'Message') return new Message({ text: typeof value === 'string' ? value : JSON.stringify(value) });
  if (wanted === 'Data') return new Data(isRecord(value) ? value : { text: typeof value === 'string' ? value : JSON.stringify(value) });
  if (wanted === 'DataFrame') return new DataFrame(Array.isArray(value) ? asRows(value) : isRecord(value) ? [value] : []);
  return value;
}
