import type { EngineEvent } from './events.js';
import type { MessageStore } from './message-store.js';
import type { ComponentRegistry } from './registry.js';
import type { ServerCredential } from './server-credential.js';
import type { TraceSpan } from './tracing.js';

/**
 * How a field's incoming value is coerced before the component sees it:
 * text → string (a Message or Data gives its text); message → Message; data → Data;
 * dataframe → DataFrame; handle/other → as received; bool/int/float → that scalar.
 */
export type InputKind =
  | 'text'
  | 'message'
  | 'data'
  | 'dataframe'
  | 'handle'
  | 'bool'
  | 'int'
  | 'float'
  | 'dict'
  | 'table'
  | 'model'
  | 'file'
  | 'tools'
  | 'secret'
  | 'other';

export interface InputDecl {
  name: string;
  displayName?: string;
  kind: InputKind;
  /** Handle types an edge may bring into this field (Langflow `input_types`). */
  inputTypes?: string[];
  default?: unknown;
  required?: boolean;
  advanced?: boolean;
  list?: boolean;
  info?: string;
  options?: string[];
  multiline?: boolean;
  /** The field becomes an argument when the component runs as a tool. */
  toolMode?: boolean;
  /** A variable name to resolve (Langflow `load_from_db`). */
  loadFromDb?: boolean;
  password?: boolean;
  /** A prompt template (Langflow's PromptInput): its `{variables}` become input fields. */
  prompt?: boolean;
}

export interface OutputDecl {
  name: string;
  displayName?: string;
  types: string[];
  /** Langflow's method name, kept so exported nodes look like Langflow's. */
  method?: string;
  /** The output accepts a loop feedback edge (LoopComponent.item). */
  allowsLoop?: boolean;
  groupOutputs?: boolean;
}

export interface ComponentDeclaration {
  /** `data.type` as Langflow saves it. */
  type: string;
  /** Other `data.type` spellings that mean this component (e.g. `Prompt Template`). */
  aliases?: string[];
  /** Langflow's component `name`, the key `/api/v1/all` lists it under, when it is not `type` (Prompt: `Prompt Template`). */
  name?: string;
  displayName: string;
  description?: string;
  category: string;
  icon?: string;
  inputs: InputDecl[];
  outputs: OutputDecl[];
  /** Interface roles used by run output/input selection. */
  role?: 'chat-input' | 'text-input' | 'webhook' | 'chat-output' | 'text-output' | 'data-output';
  /** Decides when its cycle ends (Loop, If-Else): its cycle may run past the plain-cycle limit. */
  cycleDriver?: boolean;
  /** Run at most this many times in one run (cycles); defaults to the engine's limit. */
  maxRuns?: number;
  /** Accept template fields not declared here (Prompt variables). */
  dynamicFields?: boolean;
}

export type OutputFn = (ctx: ComponentContext) => unknown | Promise<unknown>;

export interface ComponentDefinition extends ComponentDeclaration {
  /**
   * One function per output name. An optional `component_as_tool` function lists the component's own
   * `Tool`s in tool mode (MCP servers, flows) instead of exposing its outputs.
   */
  compute: Record<string, OutputFn>;
}

export interface RunInfo {
  runId: string;
  flowId: string;
  flowName: string;
  sessionId: string;
  userId: string | null;
  /** True when the caller asked for a token stream. */
  stream: boolean;
  /** Where this run sits among flows run by flows (Run Flow): 0 for a top-level run. */
  nesting: RunNesting;
}

/** Nesting of flows run by other flows; `started` is shared by every run under one top-level run. */
export interface RunNesting {
  depth: number;
  started: { count: number };
}

/** A tool an Agent can call: a component in tool mode, an MCP tool, a flow. */
export interface Tool {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
  /** Vertex id whose build_start/build_end events frame a call, when the tool is a component. */
  componentId?: string;
  /** `span`: the traced tool call (when the run is traced), the parent of whatever the tool runs. */
  invoke(args: Record<string, unknown>, signal: AbortSignal, span?: TraceSpan): Promise<unknown>;
}

export interface VariableResolver {
  /**
   * Value of a variable by name, or undefined. A credential of the server itself (from its environment,
   * or a user's copy of one) comes sealed as a `ServerCredential`, never as text.
   */
  resolve(name: string): Promise<string | ServerCredential | undefined>;
}

/**
 * Services a run can use; the engine needs none of them to exist beyond `messages`. The module that
 * defines a service adds it here by declaration merging (as Hono's `ContextVariableMap`), so components
 * read it typed, without casts, and a host that provides it is checked against the same type:
 *
 *     declare module '../../engine/component.js' {
 *       interface EngineServices {
 *         flows?: FlowLoader;
 *       }
 *     }
 *
 * Added services are optional: a component checks that its host provides one.
 */
export interface EngineServices {
  messages: MessageStore;
  variables?: VariableResolver;
  /** The run's component registry, for components that run flows of their own (Run Flow). */
  registry?: ComponentRegistry;
}

export interface SourceInfo {
  id: string;
  displayName: string;
  type: string;
  /** The upstream model name when the source is a model component. */
  source: string | null;
}

export interface ComponentContext {
  readonly vertexId: string;
  readonly displayName: string;
  readonly componentType: string;
  readonly run: RunInfo;
  readonly signal: AbortSignal;
  readonly services: EngineServices;
  /** This build's span when the run is traced: model calls, tool calls and sub-flows start theirs under it. */
  readonly span?: TraceSpan;
  /** Field values: saved template values, overridden by tweaks, request input and edges. */
  readonly params: Record<string, unknown>;
  /** Raw template of the node, for dynamic fields. */
  readonly template: Record<string, TemplateField>;
  /** Per-run shared state (Langflow's graph context). */
  readonly runState: Map<string, unknown>;
  /** Per-vertex state kept across passes of one run (loops). */
  readonly vertexState: Map<string, unknown>;
  /** Values fed back into this vertex's output `name` by loop edges (most recent pass). */
  loopFeedback(outputName: string): unknown;
  /** Upstream component connected to `field`, if any. */
  sourceOf(field: string): SourceInfo | undefined;
  /** True when `field` receives an edge. */
  isConnected(field: string): boolean;
  emit(event: EngineEvent): void;
  /** Stop output `name` for this pass: its branch does not run. */
  stop(outputName: string): void;
  /** A status shown in the build (artifacts). */
  setStatus(value: unknown): void;
  log(message: unknown, name?: string): void;
  /** Share work between output functions of one build. */
  memo<T>(key: string, compute: () => Promise<T> | T): Promise<T>;
}

export interface TemplateField {
  type?: string;
  value?: unknown;
  name?: string;
  display_name?: string;
  show?: boolean;
  advanced?: boolean;
  required?: boolean;
  list?: boolean;
  info?: string;
  input_types?: string[];
  load_from_db?: boolean;
  password?: boolean;
  tool_mode?: boolean;
  _input_type?: string;
  options?: unknown[];
  [key: string]: unknown;
}

export function defineComponent(definition: ComponentDefinition): ComponentDefinition {
  for (const output of definition.outputs) {
    if (!definition.compute[output.name]) {
      throw new Error(`Component ${definition.type}: output "${output.name}" has no compute function`);
    }
  }
  return definition;
}

const declaredInputMaps = new WeakMap<ComponentDeclaration, Map<string, InputDecl>>();

/** A component's declared inputs by name (built once per declaration: looked up for every field of every build). */
export function declaredInputs(definition: ComponentDeclaration): Map<string, InputDecl> {
  let byName = declaredInputMaps.get(definition);
  if (!byName) declaredInputMaps.set(definition, (byName = new Map(definition.inputs.map((input) => [input.name, input]))));
  return byName;
}
