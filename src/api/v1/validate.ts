import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { HttpError } from '../errors.js';
import { applyPromptVariables, PromptTemplateError, validatePromptTemplate, type PromptNode } from './prompt-validation.js';
import { validatePythonCode } from './validate-code.js';
import { isWeftComponentCode } from '../../components/custom/custom-component.js';

const CodeBody = Type.Object({ code: Type.String() });
const PromptBody = Type.Object({
  name: Type.String(),
  template: Type.String(),
  custom_fields: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  frontend_node: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  mustache: Type.Optional(Type.Boolean()),
});
type PromptBody = Static<typeof PromptBody>;

/** `/api/v1/validate/code` and `/prompt` (§A.16). */
export async function validateRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Validate'];
  const user = { preHandler: ctx.auth.userPreHandler };

  app.post<{ Body: Static<typeof CodeBody> }>('/api/v1/validate/code', { ...user, schema: { tags, body: CodeBody } }, async (request) => {
    const { code } = request.body;
    if (!isWeftComponentCode(code)) return validatePythonCode(code);
    // A Weft component: esbuild's syntax errors, then the TypeScript compiler's type errors. Nothing runs.
    const problems = await ctx.host.codeChecker.check(code);
    return { imports: { errors: [] }, function: { errors: problems.map((p) => `line ${p.line}: ${p.message}`) }, problems };
  });

  app.post<{ Body: PromptBody }>('/api/v1/validate/prompt', { ...user, schema: { tags, body: PromptBody } }, async (request) => {
    const body = request.body;
    // Langflow reads nothing without the node: no variables, no node.
    if (!body.frontend_node) return { input_variables: [], frontend_node: null };
    try {
      const variables = validatePromptTemplate(body.template, body.mustache ?? false);
      return { input_variables: variables, frontend_node: applyPromptVariables(structuredClone(body.frontend_node) as PromptNode, body.name, variables) };
    } catch (error) {
      // Langflow answers every refusal of a template with 500 and the reason (its UI shows the detail).
      if (error instanceof PromptTemplateError) throw new HttpError(500, error.message);
      throw error;
    }
  });
}
