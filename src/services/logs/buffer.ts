/** One captured log line: epoch milliseconds (unique within a buffer) and the formatted text. */
export interface LogEntry {
  timestamp: number;
  message: string;
}

/** `{"<epoch ms>": "<line>"}` — the JSON shape Langflow's `/logs` returns and `/logs-stream` emits. */
export type LogLines = Record<string, string>;

type Listener = (entry: LogEntry) => void;

/** A line's text, or how to make it: formatting waits until the line is read, and most lines never are. */
export type LogText = string | (() => string);

/** A kept line; its text is made on first read and then kept. */
class KeptLine {
  constructor(
    readonly timestamp: number,
    private text: LogText,
  ) {}

  get message(): string {
    if (typeof this.text !== 'string') this.text = this.text();
    return this.text;
  }
}

export const DEFAULT_LOG_BUFFER_SIZE = 10_000;

function toLines(entries: readonly KeptLine[]): LogLines {
  const lines: LogLines = {};
  for (const entry of entries) lines[String(entry.timestamp)] = entry.message;
  return lines;
}

/**
 * The in-memory ring buffer behind `/logs` and `/logs-stream` (Langflow's `SizedLogBuffer`). Keeps
 * the most recent `capacity` lines. Timestamps are made strictly increasing (a line logged in the
 * same millisecond as the previous one gets the next millisecond) because clients key lines by them.
 */
export class LogBuffer {
  private readonly entries: KeptLine[] = [];
  private readonly listeners = new Set<Listener>();
  private lastTimestamp = 0;
  private enabledFlag = false;

  private kept: number;

  constructor(capacity = DEFAULT_LOG_BUFFER_SIZE) {
    this.kept = LogBuffer.checked(capacity);
  }

  private static checked(capacity: number): number {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError('capacity must be an integer ≥ 0');
    return capacity;
  }

  get capacity(): number {
    return this.kept;
  }

  /** Keeps at most `capacity` lines from now on (the process's buffer exists before the settings are read). */
  resize(capacity: number): void {
    this.kept = LogBuffer.checked(capacity);
    if (this.entries.length > capacity) this.entries.splice(0, this.entries.length - capacity);
  }

  /** Log retrieval is on once a logger feeds the buffer; off, the routes answer 501. */
  enabled(): boolean {
    return this.enabledFlag && this.capacity > 0;
  }

  enable(): void {
    this.enabledFlag = true;
  }

  get size(): number {
    return this.entries.length;
  }

  append(message: LogText, timestamp = Date.now()): void {
    const stamped = Math.max(Math.trunc(timestamp), this.lastTimestamp + 1);
    this.lastTimestamp = stamped;
    const entry = new KeptLine(stamped, message);
    if (this.capacity === 0) return;
    this.entries.push(entry);
    // shift(), not splice(0, 1): V8 trims the array's start in place, where splice moves all 10,000
    // entries — tens of microseconds for every line logged (at INFO, two lines per request).
    if (this.entries.length > this.capacity) this.entries.shift();
    if (this.listeners.size === 0) return;
    const line: LogEntry = { timestamp: entry.timestamp, message: entry.message };
    for (const listener of this.listeners) listener(line);
  }

  /** The last `n` lines. */
  lastN(n: number): LogLines {
    return n <= 0 ? {} : toLines(this.entries.slice(-n));
  }

  /** Up to `lines` lines logged just before `timestamp`; the last `lines` lines when none is that recent. */
  before(timestamp: number, lines: number): LogLines {
    const index = this.entries.findIndex((entry) => entry.timestamp >= timestamp);
    if (index === -1) return this.lastN(lines);
    return toLines(this.entries.slice(Math.max(index - lines, 0), index));
  }

  /** Up to `lines` lines logged at or after `timestamp`. */
  after(timestamp: number, lines: number): LogLines {
    if (lines <= 0) return {};
    return toLines(this.entries.filter((entry) => entry.timestamp >= timestamp).slice(0, lines));
  }

  /** Calls `listener` for every line appended from now on; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The process's buffer, as Langflow's module-level `log_buffer`: the logger writes here and `/logs`
 * reads it. Sized by the app from `LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE` (settings) when it captures logs.
 */
export const processLogBuffer = new LogBuffer();
