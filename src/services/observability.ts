import { WeftMetrics } from './metrics/index.js';
import { OtlpTraceExporter } from './otlp/index.js';
import type { TraceSink } from './runs/host.js';
import type { Settings } from './settings.js';

/** What a serving or working process reports besides its database: Prometheus metrics and OTLP trace export. */
export interface Observability {
  metrics: WeftMetrics | null;
  otlp: OtlpTraceExporter | null;
  /** Where `GET /metrics` is served, once it is. */
  metricsUrl: string | null;
  /** The run host's trace sinks for what is on. */
  sinks: TraceSink[];
  close(): Promise<void>;
}

/**
 * Starts what the settings turn on (each loads its packages only then): the metrics server on
 * LANGFLOW_HOST:LANGFLOW_PROMETHEUS_PORT, the OTLP exporter. A metrics port that cannot be bound is
 * logged, not fatal (with LANGFLOW_WORKERS > 1 only one process gets it: docs/traces.md).
 */
export async function startObservability(settings: Pick<Settings, 'host' | 'prometheus' | 'otlp'>, log: (message: string) => void): Promise<Observability> {
  const metrics = settings.prometheus.enabled ? await WeftMetrics.create() : null;
  let metricsUrl: string | null = null;
  if (metrics) {
    try {
      metricsUrl = await metrics.serve(settings.host, settings.prometheus.port);
    } catch (error) {
      log(`could not serve Prometheus metrics on port ${settings.prometheus.port}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const otlp = await OtlpTraceExporter.create(settings.otlp);
  const sinks: TraceSink[] = [];
  if (metrics) sinks.push((trace) => metrics.observeTrace(trace));
  if (otlp) sinks.push((trace) => otlp.export(trace));
  return {
    metrics,
    otlp,
    metricsUrl,
    sinks,
    close: async () => {
      await metrics?.close();
      await otlp?.close().catch((error: unknown) => log(`OTLP exporter: ${String(error)}`));
    },
  };
}
