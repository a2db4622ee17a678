import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { FileStorageError } from './errors.js';

/** A flow's `fs_path` Langflow would refuse: a 400 with Langflow's detail (api/v1/flows `_get_safe_flow_path`). */
export class InvalidFlowPathError extends FileStorageError {
  constructor(detail: string) {
    super('invalid_request', detail);
  }
}

/** The real path of `path`: symlinks of the part that exists resolved, the rest appended as written. */
function realPathOfPrefix(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  return join(realpathSync(existing), ...rest);
}

/**
 * Where a flow with this `fs_path` may live: inside `<configDir>/flows/<userId>`, as in Langflow.
 * An empty path, any `..` (backslashes count as slashes), a NUL byte, an absolute path (Unix or
 * Windows drive) outside that folder, or a relative one that a symlink leads out of are refused
 * with Langflow's 400 details. Returns the real path; `null`/`undefined` (no mirror) is accepted.
 */
export function safeFlowPath(configDir: string, userId: string, fsPath: string | null | undefined): string | null {
  if (fsPath === null || fsPath === undefined) return null;
  if (fsPath === '') throw new InvalidFlowPathError('fs_path cannot be empty');
  const normalized = fsPath.replace(/\\/g, '/');
  if (normalized.includes('..')) throw new InvalidFlowPathError('Invalid fs_path: directory traversal (..) is not allowed');
  if (normalized.includes('\0')) throw new InvalidFlowPathError('Invalid fs_path: null bytes are not allowed');

  const base = realPathOfPrefix(join(configDir, 'flows', userId));
  const isAbsolute = normalized.startsWith('/') || (normalized.length > 1 && normalized[1] === ':');
  const candidate = isAbsolute ? normalized : join(base, normalized);
  const real = realPathOfPrefix(candidate);
  if (real !== base && !real.startsWith(base + sep)) {
    // Unlike older Langflow releases, the message does not disclose the server's directory.
    throw new InvalidFlowPathError(isAbsolute ? 'Absolute path must be within your flows directory' : 'Invalid path: resolves outside allowed directory');
  }
  return real;
}
