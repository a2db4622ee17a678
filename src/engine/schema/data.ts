/** Langflow's `Data`: a dict with a designated text key. */
export class Data {
  data: Record<string, unknown>;
  textKey: string;
  defaultValue: string;

  constructor(data: Record<string, unknown> = {}, textKey = 'text', defaultValue = '') {
    this.data = data;
    this.textKey = textKey;
    this.defaultValue = defaultValue;
  }

  get text(): string {
    const value = this.data[this.textKey];
    if (value === undefined || value === null) return this.defaultValue;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  toJSON(): Record<string, unknown> {
    return { text_key: this.textKey, data: this.data, default_value: this.defaultValue };
  }

  static isData(value: unknown): value is Data {
    return value instanceof Data;
  }
}
