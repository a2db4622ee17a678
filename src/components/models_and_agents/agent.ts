import type { ModelMessage, ToolSet } from 'ai';
import { loadAi } from './providers/sdk.js';
import { defineComponent, type ComponentContext, type Tool } from '../../engine/component.js';
import { plain } from '../../engine/schema/convert.js';
import { Message, type ContentBlock } from '../../engine/schema/message.js';
import { sanitizeToolName } from '../../engine/tools.js';
import type { SpanParent } from '../../engine/tracing.js';
import { modelFromFields, numberOrUndefined, startTextStream } from './providers/chat.js';
import { asProviderError } from './providers/index.js';

function isTool(value: unknown): value is Tool {
  return !!value && typeof value === 'object' && typeof (value as Tool).invoke === 'function' && typeof (value as Tool).name === 'string';
}

/** Connected tools: one list per edge, flattened. */
export function toolList(value: unknown): Tool[] {
  if (Array.isArray(value)) return value.flatMap(toolList);
  return isTool(value) ? [value] : [];
}

/** Langflow's CurrentDate component as the agent's built-in tool. */
function currentDateTool(): Tool {
  return {
    name: 'get_current_date',
    description: 'Returns the current date and time in the selected timezone.',
    parameters: { type: 'object', properties: { timezone: { type: 'string', description: 'Timezone, e.g. UTC or Europe/Paris' } } },
    invoke: async (args) => {
      const timeZone = typeof args.timezone === 'string' && args.timezone ? args.timezone : 'UTC';
      const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'short',
      }).formatToParts(new Date());
      const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
      return `Current date and time in ${timeZone}: ${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`;
    },
  };
}

/** What the model sees of a tool's result. */
export function toolOutputText(value: unknown): string {
  const json = plain(value);
  if (typeof json === 'string') return json;
  if (json && typeof json === 'object' && 'text_key' in json && 'data' in json) {
    const data = (json as { data: Record<string, unknown> }).data;
    return JSON.stringify(data);
  }
  return JSON.stringify(json ?? null);
}

async function history(ctx: ComponentContext, input: unknown): Promise<ModelMessage[]> {
  const n = numberOrUndefined(ctx.params.n_messages) ?? 100;
  if (n <= 0) return [];
  const currentId = input instanceof Message ? input.id : undefined;
  const stored = await ctx.services.messages.list({
    sessionId: ctx.run.sessionId,
    contextId: ctx.params.context_id ? String(ctx.params.context_id) : undefined,
    order: 'ASC',
  });
  const past = stored.filter((m) => !currentId || m.id !== currentId);
  return past.slice(-n).filter((m) => m.text).map((m): ModelMessage => (m.sender === 'User' ? { role: 'user', content: m.text } : { role: 'assistant', content: m.text }));
}

interface StepRecorder {
  block: ContentBlock;
  tools: ToolSet;
}

/**
 * SDK tools over our Tools; each call is recorded in the "Agent Steps" block as Langflow shows it, and
 * as a `tool` span under the agent's span when the run is traced (the tool's own run nests under it).
 */
function recordingTools(ai: typeof import('ai'), tools: Tool[], block: ContentBlock, parent: SpanParent | undefined): ToolSet {
  const { dynamicTool, jsonSchema } = ai;
  const set: ToolSet = {};
  const used = new Set<string>();
  for (const tool of tools) {
    let name = sanitizeToolName(tool.name);
    for (let i = 2; used.has(name); i++) name = `${sanitizeToolName(tool.name).slice(0, 60)}_${i}`;
    used.add(name);
    set[name] = dynamicTool({
      description: tool.description,
      inputSchema: jsonSchema(tool.parameters as Parameters<typeof jsonSchema>[0]),
      execute: async (input, options) => {
        const args = (input ?? {}) as Record<string, unknown>;
        const content: Record<string, unknown> = {
          type: 'tool_use',
          name,
          tool_input: args,
          output: null,
          error: null,
          header: { title: `Accessing **${name}**`, icon: 'Hammer' },
          duration: 0,
        };
        block.contents.push(content);
        const started = performance.now();
        const span = parent?.startSpan(name, 'tool', { inputs: args });
        try {
          const result = await tool.invoke(args, options.abortSignal ?? new AbortController().signal, span);
          content.output = plain(result);
          span?.end({ outputs: { output: content.output } });
          return toolOutputText(result);
        } catch (error) {
          content.error = error instanceof Error ? error.message : String(error);
          span?.end({ error: String(content.error) });
          throw error;
        } finally {
          content.duration = Math.round(performance.now() - started);
          content.header = { title: `Executed **${name}**`, icon: 'Hammer' };
        }
      },
    });
  }
  return set;
}

async function prepare(ctx: ComponentContext): Promise<{ message: Message; run: StepRecorder; system: string; messages: ModelMessage[]; maxSteps: number }> {
  const p = ctx.params;
  const input = p.input_value;
  const inputText = input instanceof Message ? input.text : typeof input === 'string' ? input : '';
  if (!inputText.trim()) throw new Error('The Agent needs an input message.');
  const tools = toolList(p.tools);
  if (p.add_current_date_tool !== false && !tools.some((t) => t.name === 'get_current_date')) tools.push(currentDateTool());
  const block: ContentBlock = {
    title: 'Agent Steps',
    contents: [{ type: 'text', text: inputText, header: { title: 'Input', icon: 'MessageSquare' }, duration: null }],
    allow_markdown: true,
    media_url: null,
  };
  const message = new Message({
    sender: 'Machine',
    sender_name: 'Agent',
    session_id: ctx.run.sessionId,
    flow_id: ctx.run.flowId,
    content_blocks: [block],
    properties: { icon: 'Bot', source: { id: ctx.vertexId, display_name: ctx.displayName, source: null } },
  });
  const messages = [...(await history(ctx, input)), { role: 'user', content: inputText } as ModelMessage];
  const maxSteps = Math.max(1, numberOrUndefined(p.max_iterations) ?? 15);
  return { message, run: { block, tools: recordingTools(await loadAi(), tools, block, ctx.span) }, system: String(p.system_prompt ?? ''), messages, maxSteps };
}

export const agent = defineComponent({
  type: 'Agent',
  displayName: 'Agent',
  description: 'Define the agent\'s instructions, then enter a task to complete using tools.',
  category: 'models_and_agents',
  icon: 'bot',
  inputs: [
    { name: 'model', displayName: 'Language Model', kind: 'model', inputTypes: ['LanguageModel'], default: [] },
    { name: 'agent_llm', displayName: 'Model Provider', kind: 'text', default: '' },
    { name: 'model_name', displayName: 'Model Name', kind: 'text', default: '' },
    { name: 'api_key', displayName: 'API Key', kind: 'secret', default: '', password: true, advanced: true },
    { name: 'openai_api_base', displayName: 'OpenAI API Base', kind: 'text', default: '', advanced: true },
    { name: 'temperature', displayName: 'Temperature', kind: 'float', default: null, advanced: true },
    { name: 'max_tokens', displayName: 'Max Tokens', kind: 'int', default: null, advanced: true },
    { name: 'system_prompt', displayName: 'Agent Instructions', kind: 'text', inputTypes: ['Message'], multiline: true, default: 'You are a helpful assistant that can use tools to answer questions and perform tasks.' },
    { name: 'context_id', displayName: 'Context ID', kind: 'text', inputTypes: ['Message'], default: '', advanced: true },
    { name: 'n_messages', displayName: 'Number of Chat History Messages', kind: 'int', default: 100, advanced: true },
    { name: 'format_instructions', displayName: 'Output Format Instructions', kind: 'text', default: '', advanced: true },
    { name: 'output_schema', displayName: 'Output Schema', kind: 'table', default: [], advanced: true },
    { name: 'tools', displayName: 'Tools', kind: 'tools', inputTypes: ['Tool'], list: true, default: [] },
    { name: 'input_value', displayName: 'Input', kind: 'message', inputTypes: ['Message'], default: '', toolMode: true },
    { name: 'handle_parsing_errors', displayName: 'Handle Parse Errors', kind: 'bool', default: true, advanced: true },
    { name: 'verbose', displayName: 'Verbose', kind: 'bool', default: true, advanced: true },
    { name: 'max_iterations', displayName: 'Max Iterations', kind: 'int', default: 15, advanced: true },
    { name: 'agent_description', displayName: 'Agent Description [Deprecated]', kind: 'text', default: 'A helpful assistant with access to the following tools:', advanced: true },
    { name: 'add_current_date_tool', displayName: 'Current Date', kind: 'bool', default: true, advanced: true },
  ],
  outputs: [{ name: 'response', displayName: 'Response', types: ['Message'], method: 'message_response' }],
  compute: {
    response: async (ctx) => {
      const p = ctx.params;
      const handle = await modelFromFields(ctx, {
        model: p.model,
        provider: p.agent_llm,
        modelName: p.model_name,
        apiKey: p.api_key,
        baseUrl: p.openai_api_base,
        urlField: 'OpenAI API Base',
        settings: { temperature: numberOrUndefined(p.temperature), maxOutputTokens: numberOrUndefined(p.max_tokens) || undefined },
      });
      const { message, run, system, messages, maxSteps } = await prepare(ctx);
      message.properties.source = { id: ctx.vertexId, display_name: ctx.displayName, source: handle.modelName };
      const { generateText, streamText, stepCountIs } = await loadAi();
      const call = { ...handle.callSettings(ctx.signal, ctx.span), system: system || undefined, messages, tools: run.tools, stopWhen: stepCountIs(maxSteps) };
      const started = performance.now();
      if (ctx.run.stream) {
        const result = streamText({ ...call, onError: () => {} });
        message.stream = await startTextStream(result.fullStream, ctx.signal);
        return message;
      }
      try {
        const result = await generateText(call);
        message.text = result.text;
      } catch (error) {
        throw asProviderError(error, ctx.signal);
      }
      message.duration = Math.round(performance.now() - started);
      ctx.setStatus(message.text);
      return message;
    },
  },
});
