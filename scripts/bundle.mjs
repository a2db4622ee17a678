#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/weft.js) into dist/bundle/: Node spends most of a cold start
// resolving and compiling hundreds of small ES modules (Kysely, TypeBox, Fastify and our own), and one
// bundle with lazily loaded chunks loads several times faster. Packages with native code, worker
// threads or files read at run time stay external, as do the lazily loaded model, MCP and queue SDKs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const external = [
  'better-sqlite3',
  'pg',
  'pg-native',
  'bullmq',
  'ioredis',
  'msgpackr',
  'pino',
  '@node-rs/bcrypt',
  '@fastify/swagger-ui',
  '@fastify/static',
  'ai',
  '@ai-sdk/*',
  'ollama-ai-provider-v2',
  '@modelcontextprotocol/sdk',
  '@modelcontextprotocol/sdk/*',
  'zod',
  'zod/*',
  // Loaded only when metrics or OTLP export are on (docs/traces.md); the exporter's ESM build breaks bundled.
  'prom-client',
  '@opentelemetry/*',
  // Custom components (src/services/sandbox): the compiler and the WebAssembly engine load files of their own.
  'esbuild',
  'typescript',
  'quickjs-emscripten',
  'quickjs-emscripten-core',
  '@jitl/*',
];

const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  stdin: { contents: "import { main } from './weft.js';\nawait main(process.argv);\n", resolveDir: join(root, 'dist', 'src', 'cli'), sourcefile: 'weft-main.js' },
  entryNames: 'weft',
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external,
  logLevel: 'warning',
  // Bundled CommonJS packages call require() for Node's built-ins.
  banner: { js: "import { createRequire as __weftCreateRequire } from 'node:module'; const require = __weftCreateRequire(import.meta.url);" },
});

// The custom components' threads (src/services/sandbox/worker.ts, typecheck-worker.ts), started by the bundle as ./<name>.mjs.
for (const [entry, name] of [['worker.js', 'sandbox-worker.mjs'], ['typecheck-worker.js', 'typecheck-worker.mjs']]) {
  await build({
    entryPoints: [join(root, 'dist', 'src', 'services', 'sandbox', entry)],
    outfile: join(outdir, name),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    logLevel: 'warning',
  });
}
