import { createHash, randomUUID } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { uploadTimestamp, type FileStorage } from '../services/files/index.js';
import { HttpError } from './errors.js';

const MISSING_FILE = [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null }];

/**
 * `attachment` with a quoted ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987), for every
 * download route: a name with `"`, `;` or non-ASCII characters (a Cyrillic project name) can neither
 * inject a second parameter nor make Node refuse the header.
 */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * ! unescaped; RFC 5987's attr-char does not allow ' ( ) *.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The multipart size limit cut the file short (`uploadChunks`); `receiveUpload` answers 413. */
class UploadTruncatedError extends Error {}

/**
 * The chunks of an uploaded file; when the multipart size limit cut it short, ends with a 413 (see
 * `receiveUpload`) instead of storing a truncated file.
 */
export async function* uploadChunks(part: MultipartFile, limitBytes: number): AsyncIterable<Uint8Array> {
  for await (const chunk of part.file) yield chunk as Buffer;
  if (part.file.truncated) throw new UploadTruncatedError(`upload over ${limitBytes} bytes`);
}

function isTooLarge(error: unknown): boolean {
  return error instanceof UploadTruncatedError || (error as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
}

/** Python's `str(round(x, 3))`: `1.001`, `2.0`. */
function pythonRound3(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

/**
 * Langflow's `ContentSizeLimitMiddleware` answer: the request body passed `max_file_size_upload` MB
 * (the file plus its multipart framing), with the size received so far.
 */
function contentSizeExceeded(limitBytes: number, receivedBytes: number): HttpError {
  const limitMb = limitBytes / (1024 * 1024);
  return new HttpError(413, `Content size limit exceeded. Maximum allowed is ${Number.isInteger(limitMb) ? limitMb : pythonRound3(limitMb)}MB and got ${pythonRound3(receivedBytes / (1024 * 1024))}MB.`);
}

/**
 * Hands the multipart field `file` to `handle` (streamed, not buffered) and drains any other part.
 * Not multipart or no `file` field → FastAPI's 422 "Field required". A body over the size limit is
 * Langflow's 413: refused before reading when its declared `Content-Length` is over, else (a chunked
 * body) when the file passes the limit while streaming.
 */
export async function receiveUpload<T>(request: FastifyRequest, limitBytes: number, handle: (part: MultipartFile) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) throw new HttpError(422, MISSING_FILE);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw contentSizeExceeded(limitBytes, declared);
  let result: { value: T } | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname === 'file' && result === undefined) {
        try {
          result = { value: await handle(part) };
        } finally {
          // Whatever the handler left unread (after an error) is discarded so the request completes.
          part.file.resume();
        }
      } else {
        part.file.resume();
      }
    }
  } catch (error) {
    // A chunked body (or one longer than declared): the file went past the limit, so at least that much came.
    if (isTooLarge(error)) throw contentSizeExceeded(limitBytes, Math.max(Number.isFinite(declared) ? declared : 0, limitBytes + 1));
    throw error;
  }
  if (result === undefined) throw new HttpError(422, MISSING_FILE);
  return result.value;
}

/**
 * Saves an upload that has no file name as `<timestamp>_<sha256 of its content>` (Langflow's naming)
 * without holding it in memory: it is streamed to a provisional name while hashed, then copied to its
 * final name. Returns the final name.
 */
export async function saveNamedByHash(storage: FileStorage, folder: string, chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  async function* hashed(): AsyncIterable<Uint8Array> {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const provisional = `${uploadTimestamp()}_upload-${randomUUID()}`;
  await storage.save(folder, provisional, hashed());
  try {
    const name = `${uploadTimestamp()}_${hash.digest('hex')}`;
    await storage.save(folder, name, await storage.stream(folder, provisional));
    return name;
  } finally {
    await storage.delete(folder, provisional);
  }
}
