import type { LlmStandin } from './llm-standin.js';
import { FlowBuilder } from './flow-builder.js';

/** Flows and span trees the trace tests share. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export const API_KEY = 'sk-standin-secret-0123456789';

/** ChatInput (or Webhook → Parser) → Agent (OpenAI at the stand-in, a Calculator as its tool) → ChatOutput. */
export function calculatorAgentFlow(name: string, baseUrl: string, source: 'chat' | 'webhook' = 'chat') {
  const flow = new FlowBuilder(name);
  let input: string;
  if (source === 'webhook') {
    const hook = flow.node('Webhook', { data: '' });
    input = flow.node('ParserComponent', { pattern: '{question}' });
    flow.connect(hook, 'output_data', input, 'input_data', ['Data']);
  } else {
    input = flow.node('ChatInput', {});
  }
  const calculator = flow.node('CalculatorComponent', { expression: '' }, { outputs: ['component_as_tool'] });
  const agent = flow.node(
    'Agent',
    { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], api_key: API_KEY, openai_api_base: baseUrl, add_current_date_tool: false, system_prompt: 'Use tools.' },
    { fieldMeta: { api_key: { password: true } } },
  );
  const output = flow.node('ChatOutput', {});
  flow
    .connect(input, source === 'webhook' ? 'parsed_text' : 'message', agent, 'input_value')
    .connect(calculator, 'component_as_tool', agent, 'tools', ['Tool'])
    .connect(agent, 'response', output, 'input_value');
  return flow.build();
}

/** First turn: call the calculator; second: answer with its result. */
export function calculatorResponder(standin: LlmStandin): void {
  standin.respondWith((request) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const tool = messages.find((m) => m.role === 'tool');
    return tool ? { text: 'Sum: 42', usage: { prompt_tokens: 30, completion_tokens: 4 } } : { toolCalls: [{ name: 'evaluate_expression', arguments: { expression: '2+40' } }], usage: { prompt_tokens: 20, completion_tokens: 7 } };
  });
}

export interface Shape {
  name: string;
  type: string;
  status: string;
  modelName?: string;
  tokens?: [number, number, number];
  children?: Shape[];
}

/** The parts of a span tree a test checks exactly. */
export function shapeOf(spans: Json[]): Shape[] {
  return spans.map((span) => ({
    name: span.name,
    type: span.type,
    status: span.status,
    ...(span.modelName ? { modelName: span.modelName } : {}),
    ...(span.tokenUsage ? { tokens: [span.tokenUsage.promptTokens, span.tokenUsage.completionTokens, span.tokenUsage.totalTokens] as [number, number, number] } : {}),
    ...(span.children.length > 0 ? { children: shapeOf(span.children) } : {}),
  }));
}

export const AGENT_SPANS: Shape = {
  name: 'Agent',
  type: 'agent',
  status: 'ok',
  children: [
    { name: 'chat gpt-4o-mini', type: 'llm', status: 'ok', modelName: 'gpt-4o-mini', tokens: [20, 7, 27] },
    { name: 'evaluate_expression', type: 'tool', status: 'ok' },
    { name: 'chat gpt-4o-mini', type: 'llm', status: 'ok', modelName: 'gpt-4o-mini', tokens: [30, 4, 34] },
  ],
};
export const CHAT_TREE: Shape[] = [
  { name: 'Chat Input', type: 'chain', status: 'ok' },
  { name: 'Calculator', type: 'chain', status: 'ok' },
  AGENT_SPANS,
  { name: 'Chat Output', type: 'chain', status: 'ok' },
];

