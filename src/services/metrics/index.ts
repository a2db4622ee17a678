import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NewTrace } from '../database/index.js';
import type { JobExecutor, JobQueue } from '../jobs/index.js';

type Prom = typeof import('prom-client');

/** Seconds: from a trivial run to a long agent. */
const RUN_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Prometheus metrics (`LANGFLOW_PROMETHEUS_ENABLED`), from prom-client on a registry of their own:
 * flow runs by flow and outcome, run and component durations, model calls and tokens by provider and
 * model (from the runs' traces), jobs by kind and outcome and the queue's depth, HTTP requests by route
 * and status, and prom-client's process defaults. Served on `LANGFLOW_PROMETHEUS_PORT` by `serve()`.
 */
export class WeftMetrics {
  readonly registry: InstanceType<Prom['Registry']>;
  private readonly runs;
  private readonly runDuration;
  private readonly componentDuration;
  private readonly modelCalls;
  private readonly tokens;
  private readonly jobs;
  private readonly httpRequests;
  private readonly httpDuration;
  private readonly queues: JobQueue[] = [];
  private server: Server | null = null;

  static async create(): Promise<WeftMetrics> {
    return new WeftMetrics(await import('prom-client'));
  }

  private constructor(prom: Prom) {
    const registers = [(this.registry = new prom.Registry())];
    prom.collectDefaultMetrics({ register: this.registry });
    this.runs = new prom.Counter({ name: 'weft_flow_runs_total', help: 'Flow runs by flow and outcome (ok or error).', labelNames: ['flow_id', 'outcome'], registers });
    this.runDuration = new prom.Histogram({ name: 'weft_flow_run_duration_seconds', help: 'Flow run duration.', labelNames: ['outcome'], buckets: RUN_BUCKETS, registers });
    this.componentDuration = new prom.Histogram({ name: 'weft_component_duration_seconds', help: 'Component build duration by component type and status.', labelNames: ['component', 'status'], buckets: RUN_BUCKETS, registers });
    this.modelCalls = new prom.Counter({ name: 'weft_model_calls_total', help: 'Model calls by provider, model and status.', labelNames: ['provider', 'model', 'status'], registers });
    this.tokens = new prom.Counter({ name: 'weft_model_tokens_total', help: 'Model tokens by provider, model and kind (prompt or completion); estimated when the provider reports none.', labelNames: ['provider', 'model', 'kind'], registers });
    this.jobs = new prom.Counter({ name: 'weft_jobs_total', help: 'Jobs (builds, webhooks, v2 workflows) run by this process, by kind and outcome.', labelNames: ['kind', 'outcome'], registers });
    const queues = this.queues;
    new prom.Gauge({
      name: 'weft_job_queue_depth',
      help: 'Jobs waiting and running in the job queue (the whole deployment with Redis).',
      labelNames: ['state'],
      registers,
      async collect() {
        let queued = 0;
        let running = 0;
        for (const queue of queues) {
          const depth = await queue.depth().catch(() => ({ queued: 0, running: 0 }));
          queued += depth.queued;
          running += depth.running;
        }
        this.set({ state: 'queued' }, queued);
        this.set({ state: 'running' }, running);
      },
    });
    this.httpRequests = new prom.Counter({ name: 'weft_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'], registers });
    this.httpDuration = new prom.Histogram({ name: 'weft_http_request_duration_seconds', help: 'HTTP request duration by method and route.', labelNames: ['method', 'route'], buckets: HTTP_BUCKETS, registers });
  }

  /** A finished run (a RunHost trace sink). */
  observeTrace(trace: NewTrace): void {
    this.runs.inc({ flow_id: trace.flowId, outcome: trace.status });
    this.runDuration.observe({ outcome: trace.status }, trace.latencyMs / 1000);
    for (const span of trace.spans) {
      if (span.vertexId !== null) this.componentDuration.observe({ component: componentType(span.vertexId), status: span.status }, span.latencyMs / 1000);
      if (span.type !== 'llm' || span.vertexId !== null) continue;
      const labels = { provider: span.provider ?? 'unknown', model: span.modelName ?? 'unknown' };
      this.modelCalls.inc({ ...labels, status: span.status });
      if (span.tokenUsage) {
        this.tokens.inc({ ...labels, kind: 'prompt' }, span.tokenUsage.promptTokens);
        this.tokens.inc({ ...labels, kind: 'completion' }, span.tokenUsage.completionTokens);
      }
    }
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  /** Counts the outcome of every job the executor runs. */
  countJobs(executor: JobExecutor): JobExecutor {
    return async (spec, ctx) => {
      try {
        const outcome = await executor(spec, ctx);
        this.jobs.inc({ kind: spec.kind, outcome: outcome.status });
        return outcome;
      } catch (error) {
        this.jobs.inc({ kind: spec.kind, outcome: 'failed' });
        throw error;
      }
    };
  }

  /** A queue whose depth the queue gauge reports. */
  watchQueue(queue: JobQueue): void {
    this.queues.push(queue);
  }

  /** Serves `GET /metrics` on host:port (port 0: a free one); resolves with its URL. */
  async serve(host: string, port: number): Promise<string> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const bound = (server.address() as AddressInfo).port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** `ChatInput-abc12` → `ChatInput`: Langflow's ids are the type and a suffix. */
function componentType(vertexId: string): string {
  const at = vertexId.lastIndexOf('-');
  return at > 0 ? vertexId.slice(0, at) : vertexId;
}
