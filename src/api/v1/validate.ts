import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { invalidVariables, promptVariables } from '../../components/models_and_agents/prompt-template.js';
import type { ApiContext } from '../context.js';
import { badRequest } from '../errors.js';

const CodeBody = Type.Object({ code: Type.String() });
const PromptBody = Type.Object({
  name: Type.Optional(Type.String()),
  template: Type.String(),
  custom_fields: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  frontend_node: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  mustache: Type.Optional(Type.Boolean()),
});
type PromptBody = Static<typeof PromptBody>;

const IMPORT_LINE = /^\s*(import|from)\s/;
const VALID_IMPORT = /^\s*(import\s+[A-Za-z_][\w.]*(\s+as\s+\w+)?(\s*,\s*[A-Za-z_][\w.]*(\s+as\s+\w+)?)*|from\s+\.*[A-Za-z_]?[\w.]*\s+import\s+(\*|\(?\s*[\w\s,]+\)?))\s*(#.*)?$/;
const DEF_LINE = /^\s*(async\s+)?def\s/;
const VALID_DEF = /^\s*(async\s+)?def\s+[A-Za-z_]\w*\s*\(.*\)\s*(->\s*[^:]+)?:\s*(#.*)?$/;

/**
 * Reads Python source *as text*: malformed `import`/`from` lines and `def` headers are reported.
 * Nothing is imported or executed — Weft never runs user code.
 */
export function checkPythonText(code: string): { imports: { errors: string[] }; function: { errors: string[] } } {
  const imports: string[] = [];
  const functions: string[] = [];
  code.split(/\r?\n/).forEach((line, index) => {
    if (IMPORT_LINE.test(line) && !VALID_IMPORT.test(line)) imports.push(`Invalid import statement on line ${index + 1}: ${line.trim()}`);
    if (DEF_LINE.test(line) && !VALID_DEF.test(line)) functions.push(`Invalid function definition on line ${index + 1}: ${line.trim()}`);
  });
  return { imports: { errors: imports }, function: { errors: functions } };
}

/** `/api/v1/validate/code` and `/prompt` (§A.16). */
export async function validateRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Validate'];
  const user = { preHandler: ctx.auth.userPreHandler };

  app.post<{ Body: Static<typeof CodeBody> }>('/api/v1/validate/code', { ...user, schema: { tags, body: CodeBody } }, async (request) => checkPythonText(request.body.code));

  app.post<{ Body: PromptBody }>('/api/v1/validate/prompt', { ...user, schema: { tags, body: PromptBody } }, async (request) => {
    const body = request.body;
    const variables = promptVariables(body.template, body.mustache ? 'mustache' : 'f-string');
    const invalid = invalidVariables(variables);
    if (invalid.length > 0) throw badRequest(`Invalid variables in the template: ${invalid.join(', ')}`);
    return { input_variables: variables, frontend_node: promptFrontendNode(body, variables) };
  });
}

/** The Prompt node with one text field per template variable, as the UI expects back. */
function promptFrontendNode(body: PromptBody, variables: string[]): Record<string, unknown> | null {
  if (!body.frontend_node) return null;
  const node = structuredClone(body.frontend_node) as { template?: Record<string, unknown>; custom_fields?: Record<string, string[]> };
  const template = (node.template ??= {});
  const field = body.name ?? 'template';
  const previous = node.custom_fields?.[field] ?? [];
  for (const name of previous) if (!variables.includes(name)) delete template[name];
  for (const name of variables) {
    template[name] ??= {
      name, display_name: name, type: 'str', field_type: 'str', value: '', required: false, advanced: false, show: true,
      list: false, multiline: true, password: false, load_from_db: false, info: '', input_types: ['Message'], placeholder: '', dynamic: false,
    };
  }
  if (template[field] && typeof template[field] === 'object') (template[field] as { value?: string }).value = body.template;
  node.custom_fields = { ...(node.custom_fields ?? {}), [field]: variables };
  return node as Record<string, unknown>;
}
