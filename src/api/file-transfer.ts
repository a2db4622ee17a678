import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { FileTooLargeError } from '../services/files/index.js';
import { HttpError } from './errors.js';

const MISSING_FILE = [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null }];

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * The chunks of an uploaded file; when the multipart size limit cut it short, ends with Langflow's
 * 413 (`File size is larger than the maximum file size NMB.`) instead of storing a truncated file.
 */
export async function* uploadChunks(part: MultipartFile, limitBytes: number): AsyncIterable<Uint8Array> {
  for await (const chunk of part.file) yield chunk as Buffer;
  if (part.file.truncated) throw new FileTooLargeError(limitBytes);
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
}

/**
 * Hands the multipart field `file` to `handle` (streamed, not buffered) and drains any other part.
 * Not multipart or no `file` field → FastAPI's 422 "Field required"; over the size limit → 413.
 */
export async function receiveUpload<T>(request: FastifyRequest, limitBytes: number, handle: (part: MultipartFile) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) throw new HttpError(422, MISSING_FILE);
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
    if (isTooLarge(error)) throw new FileTooLargeError(limitBytes);
    throw error;
  }
  if (result === undefined) throw new HttpError(422, MISSING_FILE);
  return result.value;
}
