import { isSafeName } from '../../services/files/index.js';
import { badRequest, notFound } from '../errors.js';

/** Langflow's detail for a refused `{file_name}` path parameter (api/utils/core.py, `ValidatedFileName`). */
export const INVALID_FILE_NAME = "Invalid file name. Use a simple file name without directory paths or '..'.";

/**
 * A `{file_name}` path parameter of the v1 file routes, checked as Langflow checks it: any `..`
 * (so `..txt` and `test..secret` too) or backslash is a 400. A slash can only arrive here
 * percent-encoded; Starlette decodes the path before routing, so in Langflow such a request matches
 * no route at all: 404 "Not Found". Names Langflow would pass on but Weft's storage refuses
 * (NUL, control characters, encodings of the above) get the same 400 instead of Langflow's 500.
 */
export function v1FileName(name: string): string {
  if (name.includes('/')) throw notFound();
  if (name.includes('..') || name.includes('\\') || !isSafeName(name)) throw badRequest(INVALID_FILE_NAME);
  return name;
}

/** Langflow's storage wording for a missing file (its routes answer it with a 500; Weft with a 404). */
export function fileNotFoundInFlow(fileName: string, flowId: string) {
  return notFound(`File ${fileName} not found in flow ${flowId}`);
}
