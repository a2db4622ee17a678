import type { McpServerConfig } from '../../components/models_and_agents/mcp-tools.js';
import type { EngineServices } from '../../engine/component.js';
import type { EngineEvent, VertexBuildData } from '../../engine/events.js';
import type { FlowData, FlowJson } from '../../engine/flow-json.js';
import type { ComponentRegistry } from '../../engine/registry.js';
import { FlowRun, type InputType, type OutputType } from '../../engine/run.js';
import { Trace } from '../../engine/tracing.js';
import type { Database, FlowRecord, NewTrace } from '../database/index.js';
import { stdioRefusal } from '../mcp/stdio-policy.js';
import { McpServerStore, type McpServerDocument } from '../mcp/user-servers.js';
import { ModelService } from '../models/index.js';
import { limitForRecord } from './record-limits.js';
import { AllowList, safeFetch } from '../../components/shared/safe-fetch.js';
import { Sandbox, type SandboxFetcher } from '../sandbox/sandbox.js';
import { CodeChecker } from '../sandbox/validate.js';
import type { ParsedSettings, Settings } from '../settings.js';
import { createEnvironmentResolver, createVariableResolver } from '../variables/index.js';
import type { VectorStoreService } from '../../engine/vector-store.js';
import { createPgVectorService, SqliteVectorService } from '../vectors/index.js';
import { createRunFileSource } from '../files/run-files.js';
import { createServerFolders } from '../files/server-folders.js';
import { finishedTrace } from './trace-record.js';

export interface RunHostOptions {
  database: Database;
  settings: Settings;
  registry: ComponentRegistry;
  /** Where recording failures go (they never break a run). */
  log?: (message: string, error: unknown) => void;
  /** Vector stores and knowledge bases; default: the embedded sqlite-vec store under `config_dir`. */
  vectorStores?: VectorStoreService;
  /** Who else gets each finished run's trace (OpenTelemetry export, metrics); runs are traced when there is one. */
  traceSinks?: TraceSink[];
}

/** Takes a finished run's trace (after it is handed to the database's recorder). Must not throw or block. */
export type TraceSink = (trace: NewTrace) => void;

/** One run of a flow, whatever started it (`/run`, a webhook, a build job, MCP, `weft run`...). */
export interface FlowRunRequest {
  flow: FlowJson;
  /** Who the run acts as: the key's owner for /run, the flow's owner for webhooks; null: nobody's saved things. */
  userId: string | null;
  inputValue?: string | null;
  inputType?: InputType;
  outputType?: OutputType;
  outputComponent?: string;
  inputComponents?: string[];
  tweaks?: Record<string, unknown> | null;
  sessionId?: string | null;
  stream?: boolean;
  /** The playground build: components' own `stream` fields decide (see RunFlowOptions). */
  streamFromFields?: boolean;
  /** The playground's attachments (paths from the files API). */
  inputFiles?: string[];
  signal?: AbortSignal;
  requestVariables?: Record<string, string>;
  startComponentId?: string;
  stopComponentId?: string;
  /** Trace this run even when the host records no traces (`weft run --trace`). */
  traced?: boolean;
}

export interface RecordOptions {
  /** Langflow's `log_builds` (default true): false keeps transactions but no vertex builds. */
  logBuilds?: boolean;
}

/** A stored flow as the engine runs it. */
export function asFlowJson(flow: FlowRecord): FlowJson {
  return { id: flow.id, name: flow.name, data: (flow.data ?? { nodes: [], edges: [] }) as unknown as FlowData };
}

/**
 * What a run gets from the settings alone, with or without a database: the fetch policy, Run Flow's
 * limits, the providers' environment, and the `load_from_db` fallback to the environment (the
 * allow-listed names only). `weft run FLOW.json` runs with exactly these; the run host adds the rest.
 */
export function settingsServices(settings: ParsedSettings): Partial<EngineServices> {
  return {
    variables: createEnvironmentResolver(settings),
    allowedHosts: settings.allowedHosts,
    maxFlowDepth: settings.maxFlowDepth,
    maxSubflowRuns: settings.maxSubflowRuns,
    maxResponseBytes: settings.maxResponseBytes,
    providerEnvironment: settings.providerEnvironment,
  };
}

/** `fetch` inside custom components (WEFT_CUSTOM_COMPONENTS_FETCH): the URL component's SSRF-guarded client and limits. */
export function sandboxFetcher(settings: ParsedSettings): SandboxFetcher | undefined {
  if (!settings.customComponents.fetch) return undefined;
  const allow = new AllowList(settings.allowedHosts);
  return async (url, init, signal) => {
    const response = await safeFetch(url, {
      method: init.method, headers: init.headers, body: init.body ?? null, signal, allow,
      timeoutMs: settings.customComponents.timeoutMs, maxBytes: Math.min(settings.maxResponseBytes, settings.customComponents.maxOutputBytes * 4),
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.status, headers, body: response.text() };
  };
}

/**
 * The run host: the one place that gives a run its services (message store, variables, saved flows,
 * the user's default model and MCP servers, fetch policy) and records what it built. Every entry point
 * — `/run`, `/run/advanced`, webhooks, `/build`, v2 workflows, MCP tools, `/responses`, `weft worker`,
 * `weft run --user` — runs flows through one of these, so a flow runs the same wherever it is started.
 */
export class RunHost {
  readonly models: ModelService;
  readonly mcpServers: McpServerStore;
  readonly registry: ComponentRegistry;
  /** Every user's vector store collections and knowledge bases (owner-scoped by `forUser`). */
  readonly vectorStores: VectorStoreService;
  /** PGVector components' servers, one pool per connection string. */
  private readonly pgVectorStores = new Map<string, VectorStoreService>();
  /** Custom components' WebAssembly sandbox (its threads start on the first custom call). */
  readonly sandbox: Sandbox;
  /** Type checks of custom component code (`/validate/code`), on a thread of its own. */
  readonly codeChecker = new CodeChecker();
  private readonly database: Database;
  private readonly settings: Settings;
  private readonly log: (message: string, error: unknown) => void;
  private readonly traceSinks: TraceSink[];

  constructor(options: RunHostOptions) {
    this.database = options.database;
    this.settings = options.settings;
    this.registry = options.registry;
    this.log = options.log ?? (() => {});
    this.traceSinks = [...(options.traceSinks ?? [])];
    this.models = new ModelService(options.database.db, options.database);
    this.mcpServers = new McpServerStore(options.database.db, options.settings.secretKey);
    this.vectorStores = options.vectorStores ?? new SqliteVectorService(options.settings.configDir);
    this.sandbox = new Sandbox(options.settings.customComponents, sandboxFetcher(options.settings));
  }

  private pgVectorStore(url: string): VectorStoreService {
    let service = this.pgVectorStores.get(url);
    if (!service) {
      service = createPgVectorService(url);
      this.pgVectorStores.set(url, service);
    }
    return service;
  }

  /** Closes the embedded store's files and the PGVector pools. */
  async closeVectorStores(): Promise<void> {
    await this.vectorStores.close();
    for (const service of this.pgVectorStores.values()) await service.close().catch(() => undefined);
    this.pgVectorStores.clear();
  }

  /** Adds a receiver of finished runs' traces (see TraceSink). */
  addTraceSink(sink: TraceSink): void {
    this.traceSinks.push(sink);
  }

  /** Whether runs record a trace: stored (LANGFLOW_NATIVE_TRACING) or taken by a sink. */
  get tracing(): boolean {
    return this.database.recorder.storesTraces || this.traceSinks.length > 0;
  }

  /** A flow by id, or undefined. */
  async loadFlow(flowId: string): Promise<FlowRecord | undefined> {
    return this.database.flows.getById(flowId);
  }

  /**
   * The services a run's components use, for one user. Everything is lazy: nothing touches the
   * database until a component asks.
   */
  services(userId: string | null, requestVariables: Record<string, string> = {}): EngineServices {
    const { database, settings } = this;
    return {
      ...settingsServices(settings),
      messages: database.messageStore,
      variables: createVariableResolver({ repos: database, userId, requestVariables, settings }),
      registry: this.registry,
      vectorStores: this.vectorStores,
      // The File component reads only this user's files (v2 user files, v1 files of the user's flows).
      userFiles: createRunFileSource({ database, settings, userId }),
      // The Directory component: superusers only, below WEFT_DIRECTORY_ROOTS.
      serverFolders: createServerFolders({ database, userId, roots: settings.directoryRoots }),
      pgVectorStores: (url: string) => this.pgVectorStore(url),
      customComponents: this.sandbox,
      // Model and MCP URLs may point at loopback only when one user runs Weft on their own machine.
      loopbackAllowed: settings.autoLogin,
      flows: {
        // Run Flow may only load the same user's flows.
        load: async (nameOrId: string): Promise<FlowJson | undefined> => {
          if (!userId) return undefined;
          const byId = await database.flows.getForUser(nameOrId, userId).catch(() => undefined);
          const flow = byId ?? (await database.flows.list(userId)).find((f) => f.name === nameOrId);
          return flow ? asFlowJson(flow) : undefined;
        },
      },
      // The caller's default language model (`/api/v1/models/default_model`), for model fields left empty.
      defaultModel: async () => {
        if (!userId) return undefined;
        const model = await this.models.defaultModel(userId, 'language');
        return model && { provider: model.provider, name: model.model_name };
      },
      // The caller's saved servers (`/api/v2/mcp/servers`), for MCP Tools nodes that name one. A stdio
      // server starts only when its owner is a superuser now and its command is allow-listed.
      mcpServers: {
        get: async (name: string) => {
          if (!userId) return undefined;
          const document = await this.mcpServers.get(userId, name);
          if (!document) return undefined;
          const config = mcpServerConfig(document);
          if (config.command) {
            const refusal = stdioRefusal(await database.users.getById(userId), config.command, settings.mcpStdioCommands);
            if (refusal) throw new Error(refusal);
          }
          return config;
        },
      },
    };
  }

  /** A FlowRun with this host's services. Throws the engine's load errors. */
  createFlowRun(request: FlowRunRequest): FlowRun {
    return new FlowRun({
      flow: request.flow,
      registry: this.registry,
      services: this.services(request.userId, request.requestVariables),
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
      streamFromFields: request.streamFromFields ?? false,
      inputFiles: request.inputFiles,
      signal: request.signal,
      startComponentId: request.startComponentId,
      stopComponentId: request.stopComponentId,
      trace: request.traced || this.tracing ? new Trace() : undefined,
    });
  }

  /**
   * The run's events, passed through while each built vertex is recorded as a `vertex_build` and a
   * `transaction` row (§G.3), handed to the database's write-behind recorder once per run (a write per
   * vertex, or even per run, costs more than the run). Recording failures are logged, never fatal.
   */
  async *recordedEvents(run: FlowRun, options: RecordOptions = {}): AsyncGenerator<EngineEvent> {
    const builds: StampedBuild[] = [];
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      try {
        this.record(run, builds, options);
      } catch (error) {
        this.log('could not record vertex builds', error);
      }
    };
    try {
      for await (const event of run.events()) {
        if (event.event === 'end_vertex') builds.push({ build: event.data.build_data, timestamp: new Date().toISOString() });
        if (event.event === 'end' || event.event === 'error') record();
        yield event;
      }
    } finally {
      record();
    }
  }

  /**
   * The run's trace to the recorder and the sinks, once the run's last event is on its way (the response is not
   * kept waiting for it); a failing sink is logged and skipped.
   */
  private recordTrace(run: FlowRun, builds: StampedBuild[]): void {
    if (!run.trace) return;
    setImmediate(() => {
      try {
        const trace = finishedTrace(run, builds.map((b) => b.build));
        if (!trace) return;
        this.database.recorder.recordTrace(trace);
        for (const sink of this.traceSinks) {
          try {
            sink(trace);
          } catch (error) {
            this.log('a trace sink failed', error);
          }
        }
      } catch (error) {
        this.log('could not record the trace', error);
      }
    });
  }

  private record(run: FlowRun, builds: StampedBuild[], options: RecordOptions): void {
    this.recordTrace(run, builds);
    if (builds.length === 0) return;
    const flowId = run.info.flowId;
    const recorder = this.database.recorder;
    const keepBuilds = recorder.storesBuilds && options.logBuilds !== false;
    const limits = this.settings.runRecords;
    // Cut once per build (Langflow's MAX_TEXT_LENGTH/MAX_ITEMS_LENGTH); the same object when nothing is cut, so the
    // transactions' outputs stay the objects the trace's spans share.
    const recorded = builds.map(({ build, timestamp }) => ({ build, timestamp, data: limitForRecord(build.data, limits) as typeof build.data }));
    recorder.record(
      (keepBuilds ? recorded : []).map(({ build, timestamp, data }) => ({
        id: build.id,
        flowId,
        valid: build.valid,
        params: limitForRecord(build.params, limits) as typeof build.params,
        data: data as unknown as Record<string, unknown>,
        artifacts: data.artifacts,
        timestamp,
      })),
      (recorder.storesTransactions ? recorded : []).map(({ build, timestamp, data }) => ({
        flowId,
        vertexId: build.id,
        targetId: build.next_vertices_ids[0] ?? null,
        inputs: run.transactionInputs(build.id, (value) => limitForRecord(value, limits)),
        outputs: build.valid ? data.results : null,
        status: build.valid ? ('success' as const) : ('error' as const),
        error: build.valid ? null : build.params,
        timestamp,
      })),
    );
  }
}

interface StampedBuild {
  build: VertexBuildData;
  timestamp: string;
}

/**
 * A stored server document as the MCP Tools component's config: strings only; headers given as a
 * list of `{key, value}` pairs (as the UI's key-value editor saves them) become an object.
 */
export function mcpServerConfig(document: McpServerDocument): McpServerConfig {
  const config: McpServerConfig = {};
  if (typeof document.command === 'string' && document.command) config.command = document.command;
  if (Array.isArray(document.args)) config.args = document.args.map(String);
  const env = stringRecord(document.env);
  if (env) config.env = env;
  if (typeof document.cwd === 'string' && document.cwd) config.cwd = document.cwd;
  if (typeof document.url === 'string' && document.url) config.url = document.url;
  const headers = stringRecord(document.headers);
  if (headers) config.headers = headers;
  if (typeof document.transport === 'string' && document.transport) config.transport = document.transport;
  return config;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (Array.isArray(value)) {
    const pairs = value.filter((p): p is { key: unknown; value: unknown } => !!p && typeof p === 'object' && 'key' in p);
    return Object.fromEntries(pairs.filter((p) => String(p.key ?? '')).map((p) => [String(p.key), String(p.value ?? '')]));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  return undefined;
}
