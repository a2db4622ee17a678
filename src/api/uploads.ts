import type { FastifyRequest } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { badRequest, HttpError } from './errors.js';

/** The bytes and name of the multipart `file` field, else 400 "No file provided". */
export async function uploadedFile(request: FastifyRequest): Promise<{ name: string; bytes: Buffer }> {
  if (!request.isMultipart()) throw new HttpError(422, [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null }]);
  const part = await request.file();
  if (!part) throw badRequest('No file provided');
  return { name: part.filename, bytes: await part.toBuffer() };
}

/** Flow dicts from an uploaded `.json` (one flow or `{flows: [...]}`) or `.zip` of flow JSON files. */
export function flowsFromUpload(file: { name: string; bytes: Buffer }): Record<string, unknown>[] {
  const isZip = file.name.toLowerCase().endsWith('.zip') || (file.bytes[0] === 0x50 && file.bytes[1] === 0x4b);
  if (isZip) {
    const entries = unzipSync(new Uint8Array(file.bytes));
    return Object.entries(entries)
      .filter(([name]) => name.toLowerCase().endsWith('.json'))
      .flatMap(([name, bytes]) => flowsFromJson(strFromU8(bytes), name));
  }
  return flowsFromJson(file.bytes.toString('utf8'), file.name);
}

function flowsFromJson(text: string, name: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
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
