// Weft custom components (docs/custom-components.md) in the editor: recognising their code, the
// "New custom component" template, and the three server calls the code editor makes. The server
// compiles, checks and evaluates; the browser never runs the code.
import { api } from '../../api/http';
import type { NodeBody } from '../flow-types';

const WEFT_IMPORT = /\bfrom\s*["']weft["']/;

export function isWeftCode(code: unknown): code is string {
  return typeof code === 'string' && WEFT_IMPORT.test(code);
}

/** The code of a node that is a Weft custom component, or null. */
export function customCodeOf(body: NodeBody | undefined): string | null {
  const field = body?.template?.code as { value?: unknown } | undefined;
  return isWeftCode(field?.value) ? field.value : null;
}

export const NEW_COMPONENT_CODE = `import { component, Message } from 'weft';

export default component({
  type: 'MyComponent',
  displayName: 'My Component',
  description: 'Describe what it does',
  icon: 'code',
  inputs: [
    { name: 'text', kind: 'text', displayName: 'Text', toolMode: true },
  ],
  outputs: [{ name: 'result', displayName: 'Result', types: ['Message'] }],
  compute: {
    async result({ text }: { text: string }) {
      return Message(text.toUpperCase());
    },
  },
});
`;

export interface CodeProblem {
  line: number;
  column: number;
  message: string;
  kind: 'syntax' | 'type';
}

/** Syntax and type errors, by line (`POST /api/v1/validate/code`: the server compiles, nothing runs). */
export async function checkCode(code: string, signal?: AbortSignal): Promise<CodeProblem[]> {
  const answer = await api<{ problems?: CodeProblem[]; function?: { errors?: string[] } }>('/api/v1/validate/code', { method: 'POST', json: { code }, signal });
  return answer.problems ?? (answer.function?.errors ?? []).map((message) => ({ line: 1, column: 0, message, kind: 'syntax' as const }));
}

/** A new node's type and body for `code` (`POST /api/v1/custom_component`). */
export async function buildComponent(code: string): Promise<{ type: string; body: NodeBody }> {
  const answer = await api<{ type: string; data: NodeBody }>('/api/v1/custom_component', { method: 'POST', json: { code } });
  return { type: answer.type, body: answer.data };
}

/** The node rebuilt from new code, keeping the values already set (and tool mode), with its possibly new type. */
export async function rebuildComponent(code: string, body: NodeBody): Promise<{ type: string; body: NodeBody }> {
  const answer = await api<{ type: string; data: NodeBody }>('/api/v1/custom_component', { method: 'POST', json: { code, frontend_node: body } });
  return { type: answer.type, body: answer.data };
}
