import { DEFAULT_RUN_RECORDS } from '../settings.js';
import { ApiKeysRepository } from './repos/api-keys.js';
import { maskedJsonCache, nowIso, type MaskedJsonOf } from './codec.js';
import { TracesRepository, type NewTrace } from './repos/traces.js';
import { TransactionsRepository, type NewTransaction } from './repos/transactions.js';
import type { Db } from './repos/types.js';
import { VertexBuildsRepository, type NewVertexBuild } from './repos/vertex-builds.js';

export interface RunRecorderOptions {
  /** How long the first pending run waits for others to share its write. */
  flushAfterMs?: number;
  /** Pending rows that trigger a write at once. */
  maxPendingRows?: number;
  /** Langflow's `transactions_storage_enabled` and `vertex_builds_storage_enabled`: off, those rows are dropped. */
  storeTransactions?: boolean;
  storeBuilds?: boolean;
  /** Langflow's `max_transactions_to_keep` (per flow), `max_vertex_builds_to_keep`, `max_vertex_builds_per_vertex`. */
  transactionsKeptPerFlow?: number;
  buildsKeptInTotal?: number;
  buildsKeptPerVertex?: number;
  /** A flow's transactions are pruned once this many were added since the last prune (bounds the overshoot). */
  pruneEvery?: number;
  /** Langflow's `LANGFLOW_NATIVE_TRACING`: off, traces are dropped. */
  storeTraces?: boolean;
  /** `WEFT_MAX_TRACES_TO_KEEP`: traces kept per flow. */
  tracesKeptPerFlow?: number;
  onError?: (error: unknown) => void;
}

/**
 * Write-behind for what every run records (vertex builds and transactions, §G.3, and the use count of the
 * API key it authenticated with). A run hands its rows
 * over and returns; rows of all runs within a few milliseconds are written together in one database
 * transaction, and pruned once per flow, instead of a transaction and prune per run — on SQLite the
 * commit and the prune cost more than the run itself. Reads of these tables and flow deletions call
 * `flush()` first (the repositories take it as their `settle` hook), so within a process nothing
 * recorded is ever missing from a read; `close()` writes what is left before the database closes.
 */
export class RunRecorder {
  private builds: NewVertexBuild[] = [];
  private transactions: NewTransaction[] = [];
  private traces: NewTrace[] = [];
  private keyUses = new Map<string, { count: number; lastUsedAt: string }>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly buildsRepo: VertexBuildsRepository;
  private readonly transactionsRepo: TransactionsRepository;
  private readonly tracesRepo: TracesRepository;
  private readonly tracesKeptPerFlow: number;
  private readonly prunesTracesEvery: number;
  private readonly tracesSincePrune = new Map<string, number>();
  private readonly apiKeysRepo: ApiKeysRepository;
  private readonly flushAfterMs: number;
  private readonly maxPendingRows: number;
  private readonly keptPerFlow: number;
  private readonly pruneEvery: number;
  private readonly addedSincePrune = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly options: RunRecorderOptions = {},
  ) {
    this.buildsRepo = new VertexBuildsRepository(db, { keptInTotal: options.buildsKeptInTotal, keptPerVertex: options.buildsKeptPerVertex });
    this.transactionsRepo = new TransactionsRepository(db);
    this.tracesRepo = new TracesRepository(db);
    this.tracesKeptPerFlow = options.tracesKeptPerFlow ?? DEFAULT_RUN_RECORDS.maxTracesToKeep;
    this.prunesTracesEvery = Math.max(1, Math.min(100, Math.ceil(this.tracesKeptPerFlow / 10)));
    this.apiKeysRepo = new ApiKeysRepository(db);
    // 20 ms: at ~1,000 runs/s that is ~20 runs per commit and per prune; reads settle first, so the
    // window is only what a crash could lose.
    this.flushAfterMs = options.flushAfterMs ?? 20;
    this.maxPendingRows = options.maxPendingRows ?? 1000;
    this.keptPerFlow = options.transactionsKeptPerFlow ?? DEFAULT_RUN_RECORDS.maxTransactionsToKeep;
    // At most a sixth over the limit between prunes (500 rows at Langflow's 3,000).
    this.pruneEvery = options.pruneEvery ?? Math.max(1, Math.min(500, Math.ceil(this.keptPerFlow / 6)));
  }

  /** Whether builds / transactions are kept at all: callers can skip preparing rows that would be dropped. */
  get storesBuilds(): boolean {
    return this.options.storeBuilds !== false;
  }

  get storesTransactions(): boolean {
    return this.options.storeTransactions !== false;
  }

  get storesTraces(): boolean {
    return this.options.storeTraces !== false;
  }

  /** A finished run's trace, written with the next batch. */
  recordTrace(trace: NewTrace): void {
    if (!this.storesTraces) return;
    this.traces.push(trace);
    this.schedule();
  }

  record(builds: NewVertexBuild[], transactions: NewTransaction[]): void {
    if (!this.storesBuilds) builds = [];
    if (!this.storesTransactions) transactions = [];
    if (builds.length + transactions.length === 0) return;
    const at = new Date().toISOString();
    for (const build of builds) this.builds.push(build.timestamp ? build : { ...build, timestamp: at });
    for (const transaction of transactions) this.transactions.push(transaction.timestamp ? transaction : { ...transaction, timestamp: at });
    this.schedule();
  }

  countKeyUse(keyId: string): void {
    const pending = this.keyUses.get(keyId);
    if (pending) {
      pending.count++;
      pending.lastUsedAt = nowIso();
    } else {
      this.keyUses.set(keyId, { count: 1, lastUsedAt: nowIso() });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.builds.length + this.transactions.length + this.traces.length >= this.maxPendingRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushAfterMs).unref();
  }

  /** Writes everything recorded so far; resolves when it is in the database (or the failure was reported). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const builds = this.builds;
    const transactions = this.transactions;
    const keyUses = this.keyUses;
    const traces = this.traces;
    this.builds = [];
    this.transactions = [];
    this.traces = [];
    this.keyUses = new Map();
    // Writes stay in order: a flush waits for the one before it.
    if (builds.length + transactions.length + traces.length + keyUses.size > 0) this.writing = this.writing.then(() => this.write(builds, transactions, keyUses, traces));
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async write(builds: NewVertexBuild[], transactions: NewTransaction[], keyUses: Map<string, { count: number; lastUsedAt: string }>, traces: NewTrace[]): Promise<void> {
    // Independent writes: a failure of one never loses the others.
    // Transactions and traces share their outputs (the same objects): each is serialised once.
    const json = maskedJsonCache();
    const outcomes = await Promise.allSettled([
      this.writeTransactions(transactions, json),
      this.writeTraces(traces, json),
      this.buildsRepo.insertMany(builds),
      ...[...keyUses].map(([keyId, { count, lastUsedAt }]) => this.apiKeysRepo.addUses(keyId, count, lastUsedAt)),
    ]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') this.options.onError?.(outcome.reason);
  }

  private async writeTransactions(transactions: NewTransaction[], json: MaskedJsonOf): Promise<void> {
    if (transactions.length === 0) return;
    await this.transactionsRepo.insertMany(transactions, json);
    for (const transaction of transactions) this.addedSincePrune.set(transaction.flowId, (this.addedSincePrune.get(transaction.flowId) ?? 0) + 1);
    for (const [flowId, added] of this.addedSincePrune) {
      if (added < this.pruneEvery) continue;
      this.addedSincePrune.delete(flowId);
      await this.pruneTransactions(flowId);
    }
  }

  private async writeTraces(traces: NewTrace[], json: MaskedJsonOf): Promise<void> {
    if (traces.length === 0) return;
    await this.tracesRepo.insertMany(traces, json);
    for (const trace of traces) this.tracesSincePrune.set(trace.flowId, (this.tracesSincePrune.get(trace.flowId) ?? 0) + 1);
    for (const [flowId, added] of this.tracesSincePrune) {
      if (added < this.prunesTracesEvery) continue;
      this.tracesSincePrune.delete(flowId);
      await this.tracesRepo.prune(flowId, this.tracesKeptPerFlow);
    }
  }

  /**
   * Keeps each flow's newest transactions, as Langflow's `log_transaction` does. The first row past the limit is
   * found by walking `ix_transaction_flow_time`, and everything at or after it in that order goes: no ranking of
   * the whole flow's rows.
   */
  private async pruneTransactions(flowId: string): Promise<void> {
    const firstDropped = await this.db
      .selectFrom('transaction')
      .select(['timestamp', 'id'])
      .where('flow_id', '=', flowId)
      .orderBy('timestamp', 'desc')
      .orderBy('id')
      .offset(this.keptPerFlow)
      .limit(1)
      .executeTakeFirst();
    if (!firstDropped) return;
    await this.db
      .deleteFrom('transaction')
      .where('flow_id', '=', flowId)
      .where((eb) => eb.or([eb('timestamp', '<', firstDropped.timestamp), eb.and([eb('timestamp', '=', firstDropped.timestamp), eb('id', '>=', firstDropped.id)])]))
      .execute();
  }
}
