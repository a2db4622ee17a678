// The fingerprint of a build's inputs, shared by the server build (build-if-stale.mjs) and the UI build
// (build-ui.mjs). Its own module: build-if-stale.mjs awaits build-ui.mjs at its top level, so build-ui.mjs
// importing it back would be a cycle that never settles (Node exits 13).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  let found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found = found.concat(filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** A hash of the paths, sizes and modification times of `inputs` (folders and single files) under `root`. */
export function fingerprintOf(root, inputs) {
  const files = [...inputs.dirs.flatMap((dir) => filesUnder(join(root, dir))), ...inputs.files.map((file) => join(root, file)).filter((file) => existsSync(file))];
  const hash = createHash('sha256');
  for (const file of files.map((f) => relative(root, f)).sort()) {
    const stats = statSync(join(root, file));
    hash.update(`${file}\t${stats.size}\t${stats.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

