import { createRegistry } from '../src/components/registry.js';
import { FlowRun, runFlow } from '../src/engine/run.js';
import { renderPrompt } from '../src/components/models_and_agents/prompt-template.js';
import { FlowBuilder } from '../test-utils/flow-builder.js';
import { medianMs, type BenchRow } from './table.js';

const registry = createRegistry();

function pipelineFlow() {
  const flow = new FlowBuilder('bench');
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'Answer briefly: {question}', question: '' });
  const parserType = registry.get('ParserComponent') ? 'ParserComponent' : 'Prompt';
  const parser = parserType === 'ParserComponent'
    ? flow.node('ParserComponent', { mode: 'Stringify', pattern: '{text}', sep: '\n' })
    : flow.node('Prompt', { template: '{text}', text: '' });
  const output = flow.node('ChatOutput', { should_store_message: false });
  flow.connect(input, 'message', prompt, 'question');
  flow.connect(prompt, 'prompt', parser, parserType === 'ParserComponent' ? 'input_data' : 'text');
  flow.connect(parser, parserType === 'ParserComponent' ? 'parsed_text' : 'prompt', output, 'input_value');
  return flow.build();
}

/** N Prompt nodes: a chain (each feeds the next) or a fan (one source feeds all). */
export function trivialFlow(shape: 'chain' | 'fan', size: number) {
  const flow = new FlowBuilder(`${shape}-${size}`);
  const first = flow.node('Prompt', { template: 'x' });
  let previous = first;
  for (let i = 1; i < size; i++) {
    const id = flow.node('Prompt', { template: '{v}', v: '' });
    flow.connect(shape === 'chain' ? previous : first, 'prompt', id, 'v');
    previous = id;
  }
  return flow.build();
}

export async function engineBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const flow = pipelineFlow();
  const iterations = 2000;
  for (let i = 0; i < 200; i++) await runFlow({ flow, registry, inputValue: 'warm up' });
  let start = performance.now();
  for (let i = 0; i < iterations; i++) await runFlow({ flow, registry, inputValue: `question ${i}`, sessionId: 'bench' });
  const runsPerSecond = iterations / ((performance.now() - start) / 1000);
  // Baseline: the same string work done by plain function calls, no engine.
  start = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations * 50; i++) sink += renderPrompt('Answer briefly: {question}', 'f-string', { question: `question ${i}` }).length;
  const baselinePerSecond = (iterations * 50) / ((performance.now() - start) / 1000);
  rows.push({ bench: 'engine', case: 'ChatInput→Prompt→Parser→ChatOutput', value: runsPerSecond, unit: 'runs/s', note: `in-process; plain renderPrompt ${Math.round(baselinePerSecond)}/s (sink ${sink % 7})` });

  for (const shape of ['chain', 'fan'] as const) {
    let perNodeAt100 = 0;
    for (const size of [100, 1000, 10000]) {
      const big = trivialFlow(shape, size);
      const runs = size >= 10000 ? 3 : 7;
      const ms = await medianMs(runs, async () => {
        const run = new FlowRun({ flow: big, registry });
        for await (const _event of run.events()) {
          // drive the run
        }
        if (run.error) throw run.error;
      });
      const perNodeUs = (ms * 1000) / size;
      if (size === 100) perNodeAt100 = perNodeUs;
      rows.push({
        bench: 'engine',
        case: `load+order+run ${shape} of ${size}`,
        value: ms,
        unit: 'ms',
        note: `${perNodeUs.toFixed(1)} µs/node (×${(perNodeUs / perNodeAt100).toFixed(2)} of the 100-node cost per node)`,
      });
    }
  }
  return rows;
}
