import { createHash } from 'node:crypto';
import { WEFT_MODULE } from './prelude.js';
import { ValidationError } from '../../engine/errors.js';

/**
 * Weft custom component source → one script for the sandbox. esbuild strips the TypeScript and bundles
 * the module with the virtual `weft` module into an IIFE assigning `__weftModule`; any other import is
 * refused (nothing but `weft` exists inside the sandbox). Nothing is executed here.
 */

/** A Weft component imports from 'weft'; Langflow's Python components never do. */
const WEFT_IMPORT = /\bfrom\s*["']weft["']/;

export function isWeftCode(code: unknown): code is string {
  return typeof code === 'string' && WEFT_IMPORT.test(code);
}

export interface CompileProblem {
  line: number;
  column: number;
  message: string;
}

/** Code that does not compile: the user's input is at fault (a 422 wherever it reaches the API). */
export class CompileError extends ValidationError {
  constructor(readonly problems: CompileProblem[]) {
    super(problems.map((p) => `line ${p.line}:${p.column}: ${p.message}`).join('; '));
  }
}

export interface Compiled {
  script: string;
  /** sha256 of the source: with the owner, the key of pre-warmed sandboxes. */
  hash: string;
}

export const MAX_SOURCE_BYTES = 256 * 1024;
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 200;

export function sourceHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export async function compile(code: string): Promise<Compiled> {
  if (Buffer.byteLength(code) > MAX_SOURCE_BYTES) throw new CompileError([{ line: 1, column: 0, message: `the code is larger than ${MAX_SOURCE_BYTES / 1024} KiB` }]);
  const hash = sourceHash(code);
  const cached = cache.get(hash);
  if (cached) return cached;
  const { build } = await import('esbuild');
  let output: string;
  try {
    const result = await build({
      stdin: { contents: code, loader: 'ts', sourcefile: 'component.ts' },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: '__weftModule',
      target: 'es2022',
      platform: 'neutral',
      logLevel: 'silent',
      plugins: [
        {
          name: 'weft-only',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point') return undefined;
              if (args.path === 'weft') return { path: 'weft', namespace: 'weft' };
              return { errors: [{ text: `Cannot import "${args.path}": a custom component may import only from 'weft'` }] };
            });
            b.onLoad({ filter: /.*/, namespace: 'weft' }, () => ({ contents: WEFT_MODULE, loader: 'js' }));
          },
        },
      ],
    });
    output = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    throw new CompileError(problemsOf(error));
  }
  const compiled = { script: output, hash };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(hash, compiled);
  return compiled;
}

interface EsbuildMessage {
  text: string;
  location?: { line: number; column: number } | null;
}

function problemsOf(error: unknown): CompileProblem[] {
  const errors = (error as { errors?: EsbuildMessage[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return [{ line: 1, column: 0, message: error instanceof Error ? error.message : String(error) }];
  return errors.map((e) => ({ line: e.location?.line ?? 1, column: e.location?.column ?? 0, message: e.text }));
}
