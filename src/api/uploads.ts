import { parseUntrustedJson, UnsafeKeyError } from '../engine/safe-json.js';
import type { FastifyRequest } from 'fastify';
import { readZipEntries, type ZipLimits } from '../services/files/index.js';
import { MAX_JSON_NESTING } from './body-parsing.js';
import { badRequest, HttpError } from './errors.js';
import { nestingTooDeepAt } from './json-syntax.js';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
  /** The most bytes it may have (flow files are parsed in memory, as JSON bodies are). */
  maxBytes: number;
  /** What a zip of flows may unpack to (`WEFT_MAX_UNZIPPED_SIZE_MB`, `WEFT_MAX_ZIP_ENTRIES`). */
  zipLimits: ZipLimits;
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `Flow file is larger than the maximum of ${maxBytes / 1024 / 1024} MB (WEFT_MAX_BODY_SIZE_MB)`);
}

/**
 * The bytes and name of the multipart `file` field, else 400 "No file provided". Flow files are
 * read into memory, so they are held to `WEFT_MAX_BODY_SIZE_MB` (the rest of a larger file is
 * drained, not kept) rather than to the upload limit meant for files streamed to disk.
 */
export async function uploadedFile(request: FastifyRequest): Promise<UploadedFile> {
  if (!request.isMultipart()) throw new HttpError(422, [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null }]);
  const { settings } = request.server.weft;
  const maxBytes = settings.maxBodySizeMb * 1024 * 1024;
  const part = await request.file();
  if (!part) throw badRequest('No file provided');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes || part.file.truncated) throw tooLarge(maxBytes);
  const zipLimits = { maxEntries: settings.maxZipEntries, maxInflatedBytes: settings.maxUnzippedSizeMb * 1024 * 1024 };
  return { name: part.filename, bytes: Buffer.concat(chunks), maxBytes, zipLimits };
}

/** Flow dicts from an uploaded `.json` (one flow or `{flows: [...]}`) or `.zip` of flow JSON files. */
export function flowsFromUpload(file: UploadedFile): Record<string, unknown>[] {
  const isZip = file.name.toLowerCase().endsWith('.zip') || (file.bytes[0] === 0x50 && file.bytes[1] === 0x4b);
  if (isZip) {
    // A zip bomb stops here: entry count and declared sizes are checked before inflating, actual sizes while inflating.
    const entries = readZipEntries(file.bytes, file.zipLimits, (name) => name.toLowerCase().endsWith('.json'));
    return entries.flatMap(({ name, bytes }) => flowsFromJson(bytes.toString('utf8'), name));
  }
  return flowsFromJson(file.bytes.toString('utf8'), file.name);
}

function flowsFromJson(text: string, name: string): Record<string, unknown>[] {
  if (nestingTooDeepAt(text, MAX_JSON_NESTING) >= 0) throw badRequest(`${name} nests deeper than ${MAX_JSON_NESTING} levels`);
  let parsed: unknown;
  try {
    parsed = parseUntrustedJson(text);
  } catch (error) {
    if (error instanceof UnsafeKeyError) throw error;
    throw badRequest(`${name} is not valid JSON`);
  }
  if (Array.isArray(parsed)) return parsed.filter(isFlowDict);
  if (isFlowDict(parsed) && Array.isArray(parsed.flows)) return parsed.flows.filter(isFlowDict);
  if (isFlowDict(parsed)) return [parsed];
  throw badRequest(`${name} does not contain a flow`);
}

function isFlowDict(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
