import { dirname, join, normalize } from 'node:path';
import { parentPort } from 'node:worker_threads';
import ts from 'typescript';
import { WEFT_TYPES } from './prelude.js';

/**
 * Type-checks custom component code with the TypeScript compiler, on a thread of its own (a check is
 * CPU work of up to a second: never on the event loop). Nothing is executed and nothing outside
 * TypeScript's own lib files is read: imports and `/// <reference>`s are not resolved (`noResolve`),
 * and the compiler host serves only the component, the `weft` types and the lib directory.
 */

export interface TypecheckProblem {
  line: number;
  column: number;
  message: string;
  code: number;
}

const port = parentPort;
if (!port) throw new Error('typecheck worker: no parent port');

const COMPONENT = '/weft/component.ts';
const TYPES = '/weft/weft.d.ts';
const options: ts.CompilerOptions = {
  strict: true,
  noImplicitAny: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  noEmit: true,
  noResolve: true,
  skipLibCheck: true,
};
const base = ts.createCompilerHost(options);
const libDir = normalize(dirname(base.getDefaultLibFileName(options)));
const libCache = new Map<string, ts.SourceFile | undefined>();
const typesFile = ts.createSourceFile(TYPES, WEFT_TYPES, ts.ScriptTarget.ES2022, true);
const inLibDir = (fileName: string) => normalize(fileName).startsWith(libDir + '/') || normalize(fileName).startsWith(libDir + '\\');
let previous: ts.Program | undefined;

function check(code: string): TypecheckProblem[] {
  const source = ts.createSourceFile(COMPONENT, code, ts.ScriptTarget.ES2022, true);
  const host: ts.CompilerHost = {
    ...base,
    getSourceFile(fileName) {
      if (fileName === COMPONENT) return source;
      if (fileName === TYPES) return typesFile;
      if (!inLibDir(fileName)) return undefined;
      if (!libCache.has(fileName)) libCache.set(fileName, base.getSourceFile(fileName, ts.ScriptTarget.ES2022));
      return libCache.get(fileName);
    },
    fileExists: (fileName) => fileName === COMPONENT || fileName === TYPES || (inLibDir(fileName) && base.fileExists(fileName)),
    readFile: (fileName) => (inLibDir(fileName) ? base.readFile(fileName) : undefined),
    writeFile: () => {},
    getDefaultLibLocation: () => libDir,
    getDefaultLibFileName: () => join(libDir, 'lib.d.ts'),
    directoryExists: (dir) => inLibDir(dir + '/') || dir === '/weft',
    getDirectories: () => [],
  };
  const program = ts.createProgram({ rootNames: [COMPONENT, TYPES], options, host, oldProgram: previous });
  previous = program;
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  return diagnostics.slice(0, 100).map((d) => {
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    return { line: at.line + 1, column: at.character, message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), code: d.code };
  });
}

port.on('message', (message: { id: number; code: string }) => {
  try {
    port.postMessage({ id: message.id, ok: true, problems: check(message.code) });
  } catch (error) {
    port.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
