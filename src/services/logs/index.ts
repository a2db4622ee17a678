export { DEFAULT_LOG_BUFFER_SIZE, LogBuffer, processLogBuffer, type LogEntry, type LogLines } from './buffer.js';
export { fastifyLoggerOptions, formatPinoLine, logBufferDestination, pinoLevel, type LoggerChoice } from './pino.js';
export { PINO_REDACT_PATHS, redactSecrets } from './redact.js';
