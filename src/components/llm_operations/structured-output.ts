import type { JSONSchema7 } from 'ai';
import { loadAi } from '../models_and_agents/providers/sdk.js';
import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { modelFromFields } from '../models_and_agents/providers/chat.js';
import { asProviderError } from '../models_and_agents/providers/index.js';

interface SchemaRow {
  name?: unknown;
  description?: unknown;
  type?: unknown;
  multiple?: unknown;
}

const TYPES: Record<string, Record<string, unknown>> = {
  str: { type: 'string' },
  int: { type: 'integer' },
  float: { type: 'number' },
  bool: { type: 'boolean' },
  dict: { type: 'object', additionalProperties: true },
  list: { type: 'array', items: {} },
};

function truthy(value: unknown): boolean {
  return value === true || (typeof value === 'string' && ['true', '1', 'yes'].includes(value.toLowerCase()));
}

/** JSON Schema of one extracted object from Langflow's output_schema table rows. */
export function rowSchema(rows: SchemaRow[]): { type: 'object'; properties: Record<string, unknown>; required: string[]; additionalProperties: false } {
  const properties: Record<string, unknown> = {};
  for (const row of rows) {
    const name = typeof row.name === 'string' ? row.name.trim() : '';
    if (!name) continue;
    const typeName = typeof row.type === 'string' ? row.type : 'str';
    const base = TYPES[typeName];
    if (!base) throw new Error(`Invalid type "${typeName}" for field "${name}": use str, int, float, bool, dict or list`);
    const field = truthy(row.multiple) ? { type: 'array', items: base } : { ...base };
    if (typeof row.description === 'string' && row.description) (field as Record<string, unknown>).description = row.description;
    properties[name] = field;
  }
  if (Object.keys(properties).length === 0) throw new Error('Output schema cannot be empty');
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

async function extract(ctx: ComponentContext): Promise<Record<string, unknown>[]> {
  return ctx.memo('objects', async () => {
    const p = ctx.params;
    const rows = (Array.isArray(p.output_schema) ? p.output_schema : p.output_schema instanceof DataFrame ? p.output_schema.rows : []) as SchemaRow[];
    const item = rowSchema(rows);
    const handle = await modelFromFields(ctx, { model: p.model, apiKey: p.api_key });
    const input = p.input_value instanceof Message ? p.input_value.text : String(p.input_value ?? '');
    if (!input.trim()) throw new Error('The input message is empty.');
    const name = (typeof p.schema_name === 'string' && p.schema_name.trim()) || 'OutputModel';
    const hasFreeObjects = Object.values(item.properties).some((f) => JSON.stringify(f).includes('"additionalProperties":true'));
    const { generateText, jsonSchema, Output } = await loadAi();
    try {
      const result = await generateText({
        ...handle.callSettings(ctx.signal, ctx.span),
        system: String(p.system_prompt ?? '') || undefined,
        prompt: input,
        output: Output.object({
          name,
          schema: jsonSchema<{ objects: Record<string, unknown>[] }>({
            type: 'object',
            properties: { objects: { type: 'array', items: item as JSONSchema7, description: `List of ${name} objects extracted from the input` } },
            required: ['objects'],
            additionalProperties: false,
          }),
        }),
        providerOptions: hasFreeObjects ? { openai: { strictJsonSchema: false } } : undefined,
      });
      const objects = result.output?.objects;
      if (!Array.isArray(objects)) throw new Error('No structured output returned');
      return objects;
    } catch (error) {
      throw asProviderError(error, ctx.signal);
    }
  });
}

export const structuredOutput = defineComponent({
  type: 'StructuredOutput',
  displayName: 'Structured Output',
  description: 'Uses an LLM to generate structured data. Ideal for extraction and consistency.',
  category: 'llm_operations',
  icon: 'braces',
  inputs: [
    { name: 'model', displayName: 'Language Model', kind: 'model', inputTypes: ['LanguageModel'], default: [], required: true },
    { name: 'api_key', displayName: 'API Key', kind: 'secret', default: '', password: true, advanced: true },
    { name: 'input_value', displayName: 'Input Message', kind: 'text', inputTypes: ['Message'], default: '', required: true, toolMode: true },
    {
      name: 'system_prompt',
      displayName: 'Format Instructions',
      kind: 'text',
      multiline: true,
      advanced: true,
      default:
        'You are an AI that extracts structured JSON objects from unstructured text. Use a predefined schema with expected types (str, int, float, bool, dict). Extract ALL relevant instances that match the schema - if multiple patterns exist, capture them all. Fill missing or ambiguous values with defaults: null for missing values. Remove exact duplicates but keep variations that have different field values. Always return valid JSON in the expected format, never throw errors. If multiple objects can be extracted, return them all in the structured format.',
    },
    { name: 'schema_name', displayName: 'Schema Name', kind: 'text', inputTypes: ['Message'], default: '', advanced: true },
    { name: 'output_schema', displayName: 'Output Schema', kind: 'table', required: true, default: [{ name: 'field', description: 'description of field', type: 'str', multiple: 'False' }] },
  ],
  outputs: [
    { name: 'structured_output', displayName: 'Structured Output', types: ['Data'], method: 'build_structured_output' },
    { name: 'dataframe_output', displayName: 'Structured Output', types: ['DataFrame'], method: 'build_structured_dataframe' },
  ],
  compute: {
    structured_output: async (ctx) => {
      const objects = await extract(ctx);
      return objects.length === 1 ? new Data({ ...objects[0] }) : new Data({ results: objects });
    },
    dataframe_output: async (ctx) => new DataFrame((await extract(ctx)).map((o) => ({ ...o }))),
  },
});
