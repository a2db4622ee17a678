import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { checkDeclaration, customDefinition, DeclarationError, isWeftComponentCode } from '../../components/custom/custom-component.js';
import type { ComponentDeclaration } from '../../engine/component.js';
import { CustomComponentError } from '../../services/sandbox/sandbox.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest } from '../errors.js';
import { frontendNode } from '../palette.js';

/**
 * Langflow's `/api/v1/custom_component` and `/custom_component/update` for Weft components (TypeScript,
 * docs/custom-components.md): the declaration is read by evaluating the code in the sandbox, with its
 * limits, and returned as Langflow's frontend node, the code in its `code` field. Python is refused.
 */

export const DOCS_LINK = 'docs/custom-components.md';
export const PYTHON_REFUSED =
  `Weft does not run Python custom components. Weft custom components are written in TypeScript or JavaScript ` +
  `(\`import { component } from 'weft'\`) and run in a WebAssembly sandbox; ${DOCS_LINK} shows a Langflow Python component and its Weft equivalent side by side.`;

const Body = Type.Object({ code: Type.String(), frontend_node: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])) }, { additionalProperties: true });
const UpdateBody = Type.Object(
  {
    code: Type.String(),
    frontend_node: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
    field: Type.String(),
    field_value: Type.Optional(Type.Unknown()),
    template: Type.Object({}, { additionalProperties: true }),
    tool_mode: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);

const CODE_FIELD = {
  type: 'code', required: true, placeholder: '', list: false, show: true, multiline: true, fileTypes: [], file_path: '', password: false,
  name: 'code', advanced: true, dynamic: true, info: '', load_from_db: false, title_case: false, display_name: 'Code',
};

/** Langflow's toolset output, which replaces a node's outputs in tool mode. */
const TOOLSET_OUTPUT = {
  types: ['Tool'], selected: 'Tool', name: 'component_as_tool', display_name: 'Toolset', method: 'to_toolkit', value: '__UNDEFINED__',
  cache: true, required_inputs: null, allows_loop: false, group_outputs: false, options: null, tool_mode: true, hidden: null,
};

/** The frontend node of a checked declaration, carrying its code (and its outputs, for tool mode: `metadata.weft_outputs`). */
export function customFrontendNode(declaration: ComponentDeclaration, code: string, toolMode = false): Record<string, unknown> {
  const node = frontendNode(customDefinition(declaration, code));
  (node.template as Record<string, unknown>).code = { ...CODE_FIELD, value: code };
  node.metadata = {
    ...(node.metadata as Record<string, unknown>),
    weft_custom: true,
    weft_outputs: declaration.outputs.map((o) => ({ name: o.name, display_name: o.displayName ?? o.name, types: o.types })),
  };
  if (toolMode) {
    node.outputs = [TOOLSET_OUTPUT];
    node.tool_mode = true;
  }
  return node;
}

/** The checked declaration of `code` for `ownerId`, or the 400 Langflow's UI shows (`detail.error`). */
export async function declarationOf(ctx: ApiContext, code: string, ownerId: string): Promise<ComponentDeclaration> {
  const sandbox = ctx.host.sandbox;
  if (!sandbox.settings.enabled) throw badRequest('Custom components are disabled on this server (WEFT_CUSTOM_COMPONENTS=false)');
  if (!isWeftComponentCode(code)) throw badRequest(PYTHON_REFUSED);
  let declaration: ComponentDeclaration;
  try {
    declaration = checkDeclaration(await sandbox.declaration(code, ownerId));
  } catch (error) {
    if (error instanceof CustomComponentError || error instanceof DeclarationError) throw badRequest({ error: error.message, traceback: '' });
    throw error;
  }
  if (ctx.registry.get(declaration.type)) throw badRequest({ error: `Invalid custom component: type "${declaration.type}" is a built-in component's; choose another`, traceback: '' });
  return declaration;
}

/** Saved values of the fields a node already had, kept when the code changes (Langflow's update keeps them too). */
function keepValues(node: Record<string, unknown>, saved: Record<string, unknown>): void {
  const template = node.template as Record<string, Record<string, unknown>>;
  for (const [name, field] of Object.entries(saved)) {
    if (name === 'code' || !Object.hasOwn(template, name) || !field || typeof field !== 'object') continue;
    const value = (field as Record<string, unknown>).value;
    if (value !== undefined) template[name].value = value;
    const fromDb = (field as Record<string, unknown>).load_from_db;
    if (typeof fromDb === 'boolean') template[name].load_from_db = fromDb;
  }
}

/** `/api/v1/all`'s "Custom" category for one user: the Weft components among their saved components (`is_component` flows). */
export async function customPalette(ctx: ApiContext, userId: string): Promise<Record<string, unknown>> {
  const palette: Record<string, unknown> = {};
  for (const flow of await ctx.database.flows.list(userId, { componentsOnly: true })) {
    const nodes = (flow.data as { nodes?: unknown } | null)?.nodes;
    if (!Array.isArray(nodes)) continue;
    for (const item of nodes as { data?: { type?: unknown; node?: Record<string, unknown> } }[]) {
      const node = item?.data?.node;
      const code = (node?.template as Record<string, { value?: unknown }> | undefined)?.code?.value;
      if (!node || typeof item.data?.type !== 'string' || !isWeftComponentCode(code)) continue;
      palette[item.data.type] ??= { ...node, display_name: node.display_name ?? flow.name, metadata: { ...(node.metadata as object), saved_component_id: flow.id } };
    }
  }
  return palette;
}

export async function customComponentRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Base'];
  const preHandler = ctx.auth.userPreHandler;

  app.post<{ Body: Static<typeof Body> }>('/api/v1/custom_component', { preHandler, schema: { tags, body: Body } }, async (request) => {
    const user = currentUser(request);
    const { code } = request.body;
    const declaration = await declarationOf(ctx, code, user.id);
    const toolMode = (request.body.frontend_node as { tool_mode?: unknown } | null | undefined)?.tool_mode === true;
    const node = customFrontendNode(declaration, code, toolMode);
    const previous = (request.body.frontend_node as { template?: unknown } | null | undefined)?.template;
    if (previous && typeof previous === 'object') keepValues(node, previous as Record<string, unknown>);
    return { data: node, type: declaration.type };
  });

  app.post<{ Body: Static<typeof UpdateBody> }>('/api/v1/custom_component/update', { preHandler, schema: { tags, body: UpdateBody } }, async (request) => {
    const user = currentUser(request);
    const { code, field, template } = request.body;
    const declaration = await declarationOf(ctx, code, user.id);
    const node = customFrontendNode(declaration, code, request.body.tool_mode === true);
    keepValues(node, template);
    const fields = node.template as Record<string, Record<string, unknown>>;
    if (field !== 'code' && Object.hasOwn(fields, field) && request.body.field_value !== undefined) fields[field].value = request.body.field_value;
    return node;
  });
}
