import { Data } from './data.js';

/** Langflow's `DataFrame`: rows of records. Serialises as a list of row objects. */
export class DataFrame {
  rows: Record<string, unknown>[];

  constructor(rows: Record<string, unknown>[] = []) {
    this.rows = rows;
  }

  get columns(): string[] {
    const seen = new Set<string>();
    for (const row of this.rows) for (const key of Object.keys(row)) seen.add(key);
    return [...seen];
  }

  toData(): Data[] {
    return this.rows.map((row) => new Data({ ...row }));
  }

  toJSON(): Record<string, unknown>[] {
    return this.rows;
  }

  static fromData(items: Data[]): DataFrame {
    return new DataFrame(items.map((item) => ({ ...item.data })));
  }
}
