import type { EngineServices } from '../../engine/component.js';
import { FlowRun, type EngineEvent, type FlowData, type FlowJson, type InputType, type OutputType, type RunFlowOptions, type VertexBuildData } from '../../engine/index.js';
import type { FlowRecord } from '../../services/database/index.js';
import { createVariableResolver } from '../../services/variables/index.js';
import type { ApiContext } from '../context.js';
import { hostServicesOf, mcpServerConfig } from '../host-services.js';

export interface FlowRunRequest {
  flow: FlowRecord;
  /** Who the run acts as: the key's owner for /run, the flow's owner for webhooks. */
  userId: string | null;
  inputValue?: string | null;
  inputType?: InputType;
  outputType?: OutputType;
  outputComponent?: string;
  inputComponents?: string[];
  tweaks?: Record<string, unknown> | null;
  sessionId?: string | null;
  stream?: boolean;
  signal?: AbortSignal;
  requestVariables?: Record<string, string>;
  startComponentId?: string;
}

/**
 * The services a run's components use, for one user: DB message store, variables, saved flows, the
 * user's default model and MCP servers. Everything is lazy: nothing touches the database until a
 * component asks.
 */
export function engineServices(ctx: ApiContext, userId: string | null, requestVariables: Record<string, string> = {}): Partial<EngineServices> {
  const host = hostServicesOf(ctx);
  return {
    messages: ctx.database.messageStore,
    variables: createVariableResolver({ repos: ctx.database, userId, requestVariables, settings: ctx.settings }),
    registry: ctx.registry,
    allowedHosts: ctx.settings.allowedHosts,
    flows: {
      // Run Flow may only load the same user's flows.
      load: async (nameOrId: string): Promise<FlowJson | undefined> => {
        if (!userId) return undefined;
        const byId = await ctx.database.flows.getForUser(nameOrId, userId).catch(() => undefined);
        const flow = byId ?? (await ctx.database.flows.list(userId)).find((f) => f.name === nameOrId);
        return flow ? asFlowJson(flow) : undefined;
      },
    },
    // The caller's default language model (`/api/v1/models/default_model`), for model fields left empty.
    defaultModel: async (): Promise<{ provider: string; name: string } | undefined> => {
      if (!userId) return undefined;
      const model = await host.models.defaultModel(userId, 'language');
      return model && { provider: model.provider, name: model.model_name };
    },
    // The caller's saved servers (`/api/v2/mcp/servers`), for MCP Tools nodes that name one.
    mcpServers: {
      get: async (name: string) => {
        if (!userId) return undefined;
        const document = await host.mcpServers.get(userId, name);
        return document && mcpServerConfig(document);
      },
    },
  };
}

export function asFlowJson(flow: FlowRecord): FlowJson {
  return { id: flow.id, name: flow.name, data: (flow.data ?? { nodes: [], edges: [] }) as unknown as FlowData };
}

/** A FlowRun of a stored flow with the server's services. Throws the engine's load errors. */
export function createFlowRun(ctx: ApiContext, request: FlowRunRequest): FlowRun {
  const options: RunFlowOptions = {
    flow: asFlowJson(request.flow),
    registry: ctx.registry,
    services: engineServices(ctx, request.userId, request.requestVariables),
    flowId: request.flow.id,
    flowName: request.flow.name,
    userId: request.userId,
    inputValue: request.inputValue ?? null,
    inputType: request.inputType ?? 'chat',
    outputType: request.outputType ?? 'chat',
    outputComponent: request.outputComponent || undefined,
    inputComponents: request.inputComponents,
    tweaks: request.tweaks ?? null,
    sessionId: request.sessionId ?? null,
    stream: request.stream ?? false,
    signal: request.signal,
    startComponentId: request.startComponentId,
  };
  return new FlowRun(options);
}

/**
 * The run's events, passed through while each built vertex is recorded as a `vertex_build` and a
 * `transaction` row (§G.3). Recording failures are logged and never break the run.
 */
export async function* recordedEvents(ctx: ApiContext, run: FlowRun, log: (message: string, error: unknown) => void): AsyncGenerator<EngineEvent> {
  // Builds are collected and handed to the database's write-behind recorder once per run: a write
  // per vertex, or even per run, cost more than the run itself.
  const builds: VertexBuildData[] = [];
  for await (const event of run.events()) {
    if (event.event === 'end_vertex') builds.push(event.data.build_data);
    if (event.event === 'end' || event.event === 'error') {
      try {
        recordBuilds(ctx, run, builds);
      } catch (error) {
        log('could not record vertex builds', error);
      }
    }
    yield event;
  }
}

function recordBuilds(ctx: ApiContext, run: FlowRun, builds: VertexBuildData[]): void {
  const flowId = run.info.flowId;
  const recorder = ctx.database.recorder;
  recorder.record(
    (recorder.storesBuilds ? builds : []).map((build) => ({
      id: build.id,
      flowId,
      valid: build.valid,
      params: build.params,
      data: build.data as unknown as Record<string, unknown>,
      artifacts: build.data.artifacts,
    })),
    (recorder.storesTransactions ? builds : []).map((build) => transactionOf(run, build)),
  );
}

function transactionOf(run: FlowRun, build: VertexBuildData) {
  return {
    flowId: run.info.flowId,
    vertexId: build.id,
    targetId: build.next_vertices_ids[0] ?? null,
    inputs: run.transactionInputs(build.id),
    outputs: build.valid ? build.data.results : null,
    status: build.valid ? ('success' as const) : ('error' as const),
    error: build.valid ? null : build.params,
  };
}
