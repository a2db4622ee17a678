import type { Selectable } from 'kysely';
import { timeOrderedUuid } from '../../../engine/schema/ids.js';
import { secretMaskingReplacer } from '../../../engine/secret-masking.js';
import { fromJson, nowIso, toIso, type MaskedJsonOf } from '../codec.js';
import type { TransactionTable } from '../schema.js';
import { countOf, nothingPending, pageOf, pageOffset, type Db, type Page, type PageRequest, type Settle } from './types.js';

export type TransactionStatus = 'success' | 'error';

export interface TransactionRecord {
  id: string;
  timestamp: string;
  vertex_id: string;
  target_id: string | null;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  status: string;
  error: string | null;
  flow_id: string;
}

export interface NewTransaction {
  flowId: string;
  vertexId: string;
  targetId?: string | null;
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  status: TransactionStatus;
  error?: string | null;
  timestamp?: string;
}

function maskedJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value, secretMaskingReplacer);
}

function toRecord(row: Selectable<TransactionTable>): TransactionRecord {
  return { ...row, inputs: fromJson(row.inputs, null), outputs: fromJson(row.outputs, null) };
}

export class TransactionsRepository {
  constructor(
    private readonly db: Db,
    private readonly settle: Settle = nothingPending,
  ) {}

  async insert(transaction: NewTransaction): Promise<TransactionRecord> {
    const [row] = this.rows([transaction]);
    await this.db.insertInto('transaction').values(row).execute();
    return toRecord(row);
  }

  /** One run's transactions in one statement (the hot path of every run); `json`: a batch's shared serialiser. */
  async insertMany(transactions: NewTransaction[], json?: MaskedJsonOf): Promise<number> {
    if (transactions.length > 0) await this.db.insertInto('transaction').values(this.rows(transactions, json)).execute();
    return transactions.length;
  }

  private rows(transactions: NewTransaction[], json: MaskedJsonOf = maskedJson) {
    return transactions.map((transaction) => ({
      id: timeOrderedUuid(),
      timestamp: transaction.timestamp ? toIso(transaction.timestamp) : nowIso(),
      vertex_id: transaction.vertexId,
      target_id: transaction.targetId ?? null,
      // Secrets are masked before they are stored, whoever records the transaction.
      inputs: json(transaction.inputs),
      outputs: json(transaction.outputs),
      status: transaction.status,
      error: transaction.error ?? null,
      flow_id: transaction.flowId,
    }));
  }

  /** GET /monitor/transactions: a page of the user's flow's transactions, newest first. */
  async listByFlow(flowId: string, userId: string, request: PageRequest): Promise<Page<TransactionRecord>> {
    const offset = pageOffset(request);
    await this.settle();
    const owned = this.db
      .selectFrom('transaction')
      .where('flow_id', '=', flowId)
      .where('flow_id', 'in', this.db.selectFrom('flow').select('id').where('user_id', '=', userId));
    const total = countOf(await owned.select((eb) => eb.fn.countAll().as('count')).executeTakeFirst());
    const rows = await owned.selectAll().orderBy('timestamp', 'desc').orderBy('id').offset(offset).limit(request.size).execute();
    return pageOf(rows.map(toRecord), total, request);
  }
}
