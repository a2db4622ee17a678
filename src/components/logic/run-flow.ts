import { defineComponent, type ComponentContext, type Tool } from '../../engine/component.js';
import type { FlowJson } from '../../engine/flow-json.js';
import type { ComponentRegistry } from '../../engine/registry.js';
import { runFlow, type RunResponse } from '../../engine/run.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { toText } from '../../engine/schema/convert.js';
import { sanitizeToolName } from '../../engine/tools.js';
import type { SpanParent } from '../../engine/tracing.js';

/** The host's saved flows (`ctx.services.flows`), by name or id. */
export interface FlowLoader {
  load(nameOrId: string): Promise<FlowJson | undefined>;
}

declare module '../../engine/component.js' {
  interface EngineServices {
    flows?: FlowLoader;
    /** How deep Run Flow may nest flows (WEFT_MAX_FLOW_DEPTH). */
    maxFlowDepth?: number;
    /** How many flows Run Flow may start within one top-level run (WEFT_MAX_SUBFLOW_RUNS). */
    maxSubflowRuns?: number;
  }
}

async function subflow(ctx: ComponentContext): Promise<FlowJson> {
  const p = ctx.params;
  const key = String(p.flow_id_selected || p.flow_name_selected || '').trim();
  if (!key) throw new Error('No flow selected');
  const loader = ctx.services.flows;
  if (!loader) throw new Error('This host cannot load saved flows');
  const flow = await loader.load(key);
  if (!flow) throw new Error(`Flow "${key}" not found`);
  return flow;
}

function registryOf(ctx: ComponentContext): ComponentRegistry {
  const registry = ctx.services.registry;
  if (!registry) throw new Error('Run Flow needs the component registry (services.registry)');
  return registry;
}

/** Dynamic fields named `<vertexId>~<field>` become tweaks of the sub-flow, as Langflow saves them. */
function tweaksFrom(params: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const tweaks: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(params)) {
    const at = name.indexOf('~');
    if (at <= 0 || value === null || value === undefined || value === '') continue;
    (tweaks[name.slice(0, at)] ??= {})[name.slice(at + 1)] = value instanceof Message ? value.text : value;
  }
  return tweaks;
}

/** Weft's defaults when the host sets no limits (`services.maxFlowDepth`, `services.maxSubflowRuns`). */
const DEFAULT_MAX_DEPTH = 10;
const DEFAULT_MAX_RUNS = 1000;

/**
 * A flow that runs itself (directly or through others) would nest forever, and a fan-out of Run Flow
 * nodes multiplies the runs at each level: both stop at a limit, with an error naming it.
 */
function checkNesting(ctx: ComponentContext, flow: FlowJson): void {
  const maxDepth = ctx.services.maxFlowDepth ?? DEFAULT_MAX_DEPTH;
  const maxRuns = ctx.services.maxSubflowRuns ?? DEFAULT_MAX_RUNS;
  const { depth, started } = ctx.run.nesting;
  const name = flow.name ?? flow.id ?? 'the selected flow';
  if (depth + 1 > maxDepth) {
    throw new Error(`Flow nesting limit reached: Run Flow may nest flows at most ${maxDepth} levels deep (WEFT_MAX_FLOW_DEPTH); "${name}" runs itself or a flow that runs it`);
  }
  if (started.count + 1 > maxRuns) {
    throw new Error(`Sub-flow run limit reached: one run may start at most ${maxRuns} flows through Run Flow (WEFT_MAX_SUBFLOW_RUNS)`);
  }
  started.count++;
}

/** `span`: where the sub-flow's spans nest (the tool call's span in tool mode, else this build's). */
async function execute(ctx: ComponentContext, inputValue: string | null, signal: AbortSignal, span: SpanParent | undefined = ctx.span): Promise<RunResponse> {
  const flow = await subflow(ctx);
  checkNesting(ctx, flow);
  return runFlow({
    nesting: { depth: ctx.run.nesting.depth + 1, started: ctx.run.nesting.started },
    flow,
    registry: registryOf(ctx),
    services: ctx.services,
    inputValue,
    tweaks: tweaksFrom(ctx.params),
    sessionId: String(ctx.params.session_id || ctx.run.sessionId),
    userId: ctx.run.userId,
    signal,
    outputType: 'any',
    parentSpan: span,
  });
}

function results(response: RunResponse): unknown[] {
  return response.outputs.flatMap((o) => o.outputs).flatMap((r) => Object.values(r.results));
}

function inputOf(ctx: ComponentContext): string | null {
  const value = ctx.params.input_value;
  if (value === undefined || value === null || value === '') return null;
  return toText(value);
}

function run(ctx: ComponentContext): Promise<RunResponse> {
  return ctx.memo('run', () => execute(ctx, inputOf(ctx), ctx.signal));
}

function asRecord(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object' && 'data' in value && typeof (value as { data: unknown }).data === 'object') return { ...((value as { data: Record<string, unknown> }).data) };
  return value && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : { text: toText(value) };
}

export const runFlowComponent = defineComponent({
  type: 'RunFlow',
  displayName: 'Run Flow',
  description: 'Creates a tool component from a Flow that takes all its inputs and runs it.',
  category: 'flow_controls',
  icon: 'Workflow',
  dynamicFields: true,
  inputs: [
    { name: 'flow_name_selected', displayName: 'Flow Name', kind: 'text', default: '' },
    { name: 'flow_id_selected', displayName: 'Flow Id', kind: 'text', default: '', advanced: true },
    { name: 'input_value', displayName: 'Input', kind: 'text', inputTypes: ['Message'], default: '', toolMode: true },
    { name: 'session_id', displayName: 'Session ID', kind: 'text', inputTypes: ['Message'], default: '', advanced: true },
    { name: 'cache_flow', displayName: 'Cache Flow', kind: 'bool', default: true, advanced: true },
  ],
  outputs: [
    { name: 'flow_outputs_message', displayName: 'Flow Message Output', types: ['Message'], method: 'message_output' },
    { name: 'flow_outputs_data', displayName: 'Flow Data Output', types: ['Data'], method: 'data_output' },
    { name: 'flow_outputs_dataframe', displayName: 'Flow Dataframe Output', types: ['DataFrame'], method: 'dataframe_output' },
  ],
  compute: {
    flow_outputs_message: async (ctx) => new Message({ text: results(await run(ctx)).map((r) => toText((r as { text?: unknown })?.text ?? r)).join('\n') }),
    flow_outputs_data: async (ctx) => {
      const values = results(await run(ctx)).map(asRecord);
      return values.length === 1 ? new Data(values[0]) : new Data({ results: values });
    },
    flow_outputs_dataframe: async (ctx) => new DataFrame(results(await run(ctx)).map(asRecord)),
    /** In tool mode the flow is one tool taking the flow's input text. */
    component_as_tool: async (ctx): Promise<Tool[]> => {
      const flow = await subflow(ctx);
      const name = sanitizeToolName(flow.name ?? String(ctx.params.flow_name_selected));
      return [
        {
          name,
          description: flow.description || `Runs the flow ${flow.name ?? name}`,
          parameters: { type: 'object', properties: { input_value: { type: 'string', description: 'The input to send to the flow' } }, required: ['input_value'] },
          invoke: async (args, signal, span) => {
            const response = await execute(ctx, args.input_value === undefined ? null : String(args.input_value), signal, span);
            return results(response).map((r) => toText((r as { text?: unknown })?.text ?? r)).join('\n');
          },
        },
      ];
    },
  },
});
