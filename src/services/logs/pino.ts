import type { LogLevel } from '../settings.js';
import { processLogBuffer, type LogBuffer } from './buffer.js';
import { PINO_REDACT_PATHS, redactSecrets } from './redact.js';

/** pino's numeric levels. */
const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', 60: 'CRITICAL' };
/** Fields pino adds to every record; the rest are shown after the message. */
const BASE_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);

interface Writable {
  write(chunk: string): unknown;
}

/**
 * Turns one pino JSON line into the text kept in the buffer:
 * `2026-01-16T10:00:00.000Z INFO request completed {"reqId":"req-1","res":{"statusCode":200}}`.
 * Returns the record's own time (epoch ms) when it has one.
 */
export function formatPinoLine(line: string): { timestamp: number; message: string } | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    return { timestamp: Date.now(), message: trimmed };
  }
  const timestamp = typeof record.time === 'number' ? record.time : Date.now();
  const level = typeof record.level === 'number' ? (LEVEL_NAMES[record.level] ?? String(record.level)) : String(record.level ?? 'INFO');
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!BASE_FIELDS.has(key)) extras[key] = value;
  const message = typeof record.msg === 'string' ? record.msg : '';
  const tail = Object.keys(extras).length > 0 ? ` ${JSON.stringify(extras)}` : '';
  return { timestamp, message: `${new Date(timestamp).toISOString()} ${level} ${message}${tail}` };
}

/** How pino starts every record it writes; the time is all the buffer needs before the line is read. */
const PINO_RECORD_START = /^\{"level":\d+,"time":(\d+),/;

/** Captures one line: a pino record is formatted only if it is ever read (at INFO, two lines per request, rarely read). */
function capture(buffer: LogBuffer, line: string): void {
  const pinoRecord = PINO_RECORD_START.exec(line);
  if (pinoRecord) {
    buffer.append(() => redactSecrets(formatPinoLine(line)?.message ?? line), Number(pinoRecord[1]));
    return;
  }
  const formatted = formatPinoLine(line);
  if (formatted) buffer.append(redactSecrets(formatted.message), formatted.timestamp);
}

/** Forwards what the logger writes with credentials redacted. */
function redacting(forward: Writable): Writable {
  return { write: (chunk: string) => forward.write(redactSecrets(chunk)) };
}

/**
 * A pino destination that captures each record into `buffer` and forwards the raw line to `forward`
 * (stdout for a server; none in tests).
 */
export function logBufferDestination(buffer: LogBuffer, forward?: Writable): Writable {
  buffer.enable();
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) capture(buffer, line);
      forward?.write(redactSecrets(chunk));
      return true;
    },
  };
}

/** Langflow's level names (`LANGFLOW_LOG_LEVEL`) as pino's. */
export function pinoLevel(level: LogLevel): string {
  return level === 'warning' ? 'warn' : level === 'critical' ? 'fatal' : level;
}

export interface LoggerChoice {
  /** Print the JSON log lines to stdout. */
  stdout: boolean;
  /** Feed the `/logs` ring buffer. */
  capture: boolean;
  level?: string;
  buffer?: LogBuffer;
  /** Lines the buffer keeps (`LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE`); unset keeps its size. */
  bufferSize?: number;
}

/** Fastify's `logger` option for these choices: `false` when logs go nowhere. */
export function fastifyLoggerOptions(choice: LoggerChoice): false | { level: string; stream: Writable; redact: { paths: string[]; censor: string } } {
  if (!choice.stdout && !choice.capture) return false;
  const level = choice.level ?? 'info';
  // Credentials never reach a log line: structured fields by pino, everything else (request URLs' query strings above all) line by line.
  const redact = { paths: [...PINO_REDACT_PATHS], censor: '[REDACTED]' };
  if (!choice.capture) return { level, stream: redacting(process.stdout), redact };
  const buffer = choice.buffer ?? processLogBuffer;
  if (choice.bufferSize !== undefined) buffer.resize(choice.bufferSize);
  return { level, stream: logBufferDestination(buffer, choice.stdout ? process.stdout : undefined), redact };
}
