import { randomUUID } from 'node:crypto';
import type { EngineServices, RunInfo, RunNesting } from './component.js';
import type { EngineEvent, ResultData, VertexBuildData } from './events.js';
import type { FlowData, FlowJson } from './flow-json.js';
import { loadGraph, type Graph, type Vertex } from './graph.js';
import { flowScopedMessages, InMemoryMessageStore } from './message-store.js';
import type { ComponentRegistry } from './registry.js';
import { resultData, type BuildRecord } from './results.js';
import { ComponentError, GraphRunner, RunCancelledError, type FrozenCache } from './runner.js';
import { Scheduler } from './scheduler.js';
import { maskSecret, maskSecrets } from './secret-masking.js';
import { Message } from './schema/message.js';
import type { SpanParent, Trace } from './tracing.js';
import { applyTweaks, setField, type Tweaks } from './tweaks.js';

export type InputType = 'chat' | 'text' | 'any';
export type OutputType = 'chat' | 'text' | 'any' | 'debug';

export interface RunFlowOptions {
  flow: FlowJson | FlowData;
  registry: ComponentRegistry;
  services?: Partial<EngineServices>;
  flowId?: string;
  flowName?: string;
  userId?: string | null;
  inputValue?: string | null;
  inputType?: InputType;
  outputType?: OutputType;
  /** A vertex id (or display name) whose result alone is returned. */
  outputComponent?: string;
  /** Restrict which input vertices receive `inputValue` (ids or display names). */
  inputComponents?: string[];
  tweaks?: Tweaks | null;
  sessionId?: string | null;
  stream?: boolean;
  /**
   * The playground build: each component's own `stream` field decides whether it streams tokens
   * (Langflow's build applies no `stream` tweak, unlike /run); `stream` is then ignored.
   */
  streamFromFields?: boolean;
  /** Files sent with the input (the playground's attachments): set on the Chat Inputs that take files. */
  inputFiles?: string[];
  signal?: AbortSignal;
  startComponentId?: string;
  stopComponentId?: string;
  frozenCache?: FrozenCache;
  /** Set by Run Flow for the flow it starts: one level deeper than its own run. */
  nesting?: RunNesting;
  /** The run's trace: each build records a span in it (the run host stores it when the run ends). */
  trace?: Trace;
  /** A sub-flow's parent span (Run Flow's): its builds' spans nest under it. */
  parentSpan?: SpanParent;
}

export interface RunOutputs {
  inputs: Record<string, unknown>;
  outputs: ResultData[];
}

/** Langflow's RunResponse. */
export interface RunResponse {
  session_id: string;
  outputs: RunOutputs[];
}

/**
 * One run of a flow: load, tweak, schedule, build. Iterate `events()` to drive it; it ends
 * with `end` carrying the RunResponse, or `error` naming the failing component.
 */
export class FlowRun {
  readonly graph: Graph;
  readonly scheduler: Scheduler;
  readonly info: RunInfo;
  result: RunResponse | null = null;
  error: Error | null = null;
  /** The run's trace, when it is traced. */
  readonly trace: Trace | undefined;
  private readonly runner: GraphRunner;

  constructor(private readonly options: RunFlowOptions) {
    const asFlow = options.flow as FlowJson;
    const flowId = options.flowId ?? asFlow.id ?? randomUUID();
    this.graph = loadGraph(options.flow, options.registry, { flowId, flowName: options.flowName ?? asFlow.name });
    applyTweaks(this.graph, options.tweaks);
    if (!options.streamFromFields) applyStreamFlag(this.graph, options.tweaks, options.stream ?? false);
    applyInput(this.graph, options);
    this.scheduler = new Scheduler(this.graph, {
      startComponentId: options.startComponentId,
      stopComponentId: options.stopComponentId,
    });
    this.info = {
      runId: randomUUID(),
      flowId,
      flowName: this.graph.flowName,
      sessionId: options.sessionId || flowId,
      userId: options.userId ?? null,
      stream: options.streamFromFields ? true : (options.stream ?? false),
      nesting: options.nesting ?? { depth: 0, started: { count: 0 } },
    };
    this.trace = options.trace;
    const services: EngineServices = { ...options.services, messages: flowScopedMessages(options.services?.messages ?? new InMemoryMessageStore(), flowId) };
    this.runner = new GraphRunner({
      graph: this.graph,
      scheduler: this.scheduler,
      run: this.info,
      services,
      signal: options.signal,
      frozenCache: options.frozenCache,
      spans: options.parentSpan ?? options.trace,
    });
  }

  async *events(): AsyncGenerator<EngineEvent> {
    try {
      yield* this.runner.events();
      await this.drainUnconsumedStreams();
      this.result = this.response();
      yield { event: 'end', data: { result: this.result } };
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
      yield { event: 'error', data: errorData(this.error) };
    }
  }

  /** Langflow's first layer: what a vertex-by-vertex client builds first. */
  firstLayer(): string[] {
    return this.scheduler.start();
  }

  /** Builds one vertex (legacy vertex-by-vertex API); `inputValue` feeds an input vertex first. */
  async buildVertex(id: string, inputValue?: string | null): Promise<VertexBuildData> {
    const vertex = this.graph.vertex(id);
    if (vertex.isInput && inputValue !== null && inputValue !== undefined) setField(vertex, 'input_value', inputValue);
    return this.runner.step(id);
  }

  /** A vertex's latest build record (its raw values), if it ran. */
  vertexBuild(id: string): BuildRecord | undefined {
    return this.runner.builds.get(id);
  }

  /** Latest build result of a vertex, if it ran. */
  vertexResult(id: string): ResultData | undefined {
    const build = this.runner.builds.get(id);
    return build ? resultData(this.graph.vertex(id), build) : undefined;
  }

  /**
   * A vertex's field values as its transaction row logs them (§G.3): password fields are masked
   * whatever their name, secrets nested in other values by key name, as Langflow masks them. `shorten` is the host's
   * record limit (Langflow's MAX_TEXT_LENGTH), applied first.
   */
  transactionInputs(id: string, shorten: (value: unknown) => unknown = (value) => value): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(this.graph.vertices.get(id)?.template ?? {})) {
      if (field && typeof field === 'object' && Object.hasOwn(field, 'value')) inputs[name] = field.password ? maskSecret(field.value) : field.value;
    }
    // Shortened before the masking copy: a 5 MB input would otherwise be copied whole into every transaction first.
    return maskSecrets(shorten(inputs) as Record<string, unknown>);
  }

  builtVertices(): string[] {
    return [...this.runner.builds.keys()];
  }

  private async drainUnconsumedStreams(): Promise<void> {
    for (const build of this.runner.builds.values()) {
      for (const value of Object.values(build.values)) if (value instanceof Message && value.stream) await value.drain();
    }
  }

  private response(): RunResponse {
    const outputs: ResultData[] = [];
    const wanted = requestedOutputs(this.graph, this.options);
    for (const vertex of this.graph.vertices.values()) {
      if (!this.runner.builds.has(vertex.id) || !isReported(vertex, wanted)) continue;
      outputs.push(this.vertexResult(vertex.id)!);
    }
    const inputValue = this.options.inputValue;
    return {
      session_id: this.info.sessionId,
      outputs: [{ inputs: inputValue === null || inputValue === undefined ? {} : { input_value: inputValue }, outputs }],
    };
  }
}

function errorData(error: Error): Record<string, unknown> {
  if (error instanceof ComponentError) {
    return {
      error: error.message,
      component_id: error.vertexId,
      component_display_name: error.displayName,
      component_type: error.componentType,
    };
  }
  return { error: error.message, cancelled: error instanceof RunCancelledError };
}

/**
 * The vertex ids a run reports, as Langflow's simple_run_flow picks them: the named output component,
 * every vertex for "debug", else the output vertices whose id contains the type ("any": all of them).
 */
function requestedOutputs(graph: Graph, options: RunFlowOptions): string[] {
  if (options.outputComponent) return [options.outputComponent];
  const outputType = options.outputType ?? 'chat';
  return [...graph.vertices.values()]
    .filter((vertex) => outputType === 'debug' || (vertex.isOutput && (outputType === 'any' || vertex.id.toLowerCase().includes(outputType))))
    .map((vertex) => vertex.id);
}

/** Langflow's graph run: when nothing was requested (no vertex matched), every built output vertex is reported. */
function isReported(vertex: Vertex, wanted: string[]): boolean {
  if (wanted.length === 0) return vertex.isOutput;
  return wanted.includes(vertex.id) || wanted.includes(vertex.displayName);
}

/** Langflow adds a global `stream` tweak from the request unless the caller set one. */
function applyStreamFlag(graph: Graph, tweaks: Tweaks | null | undefined, stream: boolean): void {
  if (tweaks && Object.hasOwn(tweaks, 'stream')) return;
  for (const vertex of graph.vertices.values()) if (Object.hasOwn(vertex.template, 'stream')) setField(vertex, 'stream', stream);
}

function applyInput(graph: Graph, options: RunFlowOptions): void {
  const value = options.inputValue;
  if (value === null || value === undefined) return;
  const inputType = options.inputType ?? 'chat';
  for (const vertex of graph.vertices.values()) {
    if (!vertex.isInput) continue;
    const only = options.inputComponents;
    if (only && only.length > 0 && !only.includes(vertex.id) && !only.includes(vertex.displayName)) continue;
    if (inputType !== 'any' && !vertex.id.toLowerCase().includes(inputType)) continue;
    setField(vertex, 'input_value', value);
    // As Langflow's vertex build: the request's files replace the input component's own.
    if (options.inputFiles && options.inputFiles.length > 0 && Object.hasOwn(vertex.template, 'files')) setField(vertex, 'files', options.inputFiles);
  }
}

/** Runs a flow to completion. Throws the failing component's error. */
export async function runFlow(options: RunFlowOptions): Promise<RunResponse> {
  const run = new FlowRun(options);
  for await (const _event of run.events()) {
    // Driving the run; events are for streaming callers.
  }
  if (run.error) throw run.error;
  return run.result!;
}
