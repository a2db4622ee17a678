import { randomUUID } from 'node:crypto';
import type { EngineServices, RunInfo } from './component.js';
import type { EngineEvent, ResultData } from './events.js';
import type { FlowData, FlowJson } from './flow-json.js';
import { loadGraph, type Graph, type Vertex } from './graph.js';
import { InMemoryMessageStore } from './message-store.js';
import type { ComponentRegistry } from './registry.js';
import { resultData } from './results.js';
import { ComponentError, GraphRunner, RunCancelledError, type FrozenCache } from './runner.js';
import { Scheduler } from './scheduler.js';
import { Message } from './schema/message.js';
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
  signal?: AbortSignal;
  startComponentId?: string;
  stopComponentId?: string;
  frozenCache?: FrozenCache;
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
  private readonly runner: GraphRunner;

  constructor(private readonly options: RunFlowOptions) {
    const asFlow = options.flow as FlowJson;
    const flowId = options.flowId ?? asFlow.id ?? randomUUID();
    this.graph = loadGraph(options.flow, options.registry, { flowId, flowName: options.flowName ?? asFlow.name });
    applyTweaks(this.graph, options.tweaks);
    applyStreamFlag(this.graph, options.tweaks, options.stream ?? false);
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
      stream: options.stream ?? false,
    };
    const services: EngineServices = { ...options.services, messages: options.services?.messages ?? new InMemoryMessageStore() };
    this.runner = new GraphRunner({
      graph: this.graph,
      scheduler: this.scheduler,
      run: this.info,
      services,
      signal: options.signal,
      frozenCache: options.frozenCache,
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

  /** Latest build result of a vertex, if it ran. */
  vertexResult(id: string): ResultData | undefined {
    const build = this.runner.builds.get(id);
    return build ? resultData(this.graph.vertex(id), build) : undefined;
  }

  /** A vertex's field values as its transaction row logs them (§G.3): secret fields never land in the log. */
  transactionInputs(id: string): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(this.graph.vertices.get(id)?.template ?? {})) {
      if (field && typeof field === 'object' && 'value' in field && !field.password) inputs[name] = field.value;
    }
    return inputs;
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
    for (const vertex of this.graph.vertices.values()) {
      if (!this.runner.builds.has(vertex.id) || !isSelectedOutput(vertex, this.options)) continue;
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

function isSelectedOutput(vertex: Vertex, options: RunFlowOptions): boolean {
  if (options.outputComponent) return vertex.id === options.outputComponent || vertex.displayName === options.outputComponent;
  const outputType = options.outputType ?? 'chat';
  if (outputType === 'debug') return true;
  return vertex.isOutput && (outputType === 'any' || vertex.id.toLowerCase().includes(outputType));
}

/** Langflow adds a global `stream` tweak from the request unless the caller set one. */
function applyStreamFlag(graph: Graph, tweaks: Tweaks | null | undefined, stream: boolean): void {
  if (tweaks && 'stream' in tweaks) return;
  for (const vertex of graph.vertices.values()) if ('stream' in vertex.template) setField(vertex, 'stream', stream);
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
