import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

type Route = 'true_result' | 'false_result';

const NUMERIC: Record<string, (a: number, b: number) => boolean> = {
  'less than': (a, b) => a < b,
  'less than or equal': (a, b) => a <= b,
  'greater than': (a, b) => a > b,
  'greater than or equal': (a, b) => a >= b,
};

/** Python's float() of text: surrounding whitespace allowed, anything else invalid. */
function pyFloat(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (t === 'nan') return Number.NaN;
  if (!/^[+-]?(\d[\d_]*(?:\.\d*)?(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)$/.test(t)) return null;
  return Number(t.replace(/_/g, ''));
}

export function evaluateCondition(input: string, match: string, operator: string, caseSensitive: boolean): boolean {
  if (!caseSensitive && operator !== 'regex') {
    input = input.toLowerCase();
    match = match.toLowerCase();
  }
  switch (operator) {
    case 'equals':
      return input === match;
    case 'not equals':
      return input !== match;
    case 'contains':
      return input.includes(match);
    case 'starts with':
      return input.startsWith(match);
    case 'ends with':
      return input.endsWith(match);
    case 'regex':
      try {
        // Python's re.match anchors at the start only.
        return new RegExp(match, 'y').test(input);
      } catch {
        return false;
      }
    default: {
      const compare = NUMERIC[operator];
      if (!compare) return false;
      const a = pyFloat(input);
      const b = pyFloat(match);
      return a !== null && b !== null && compare(a, b);
    }
  }
}

/**
 * Decides the route once per build: counts the iteration (kept across passes of one run)
 * and, once max_iterations is reached, takes the default route so a cycle through the router ends.
 */
function decide(ctx: ComponentContext): Promise<Route> {
  return ctx.memo('route', () => {
    const p = ctx.params;
    const iteration = ((ctx.vertexState.get('iteration') as number | undefined) ?? 0) + 1;
    ctx.vertexState.set('iteration', iteration);
    const matched = evaluateCondition(String(p.input_text ?? ''), String(p.match_text ?? ''), String(p.operator || 'equals'), p.case_sensitive !== false);
    let route: Route = matched ? 'true_result' : 'false_result';
    const maxIterations = typeof p.max_iterations === 'number' ? p.max_iterations : 10;
    if (iteration >= maxIterations) route = p.default_route === 'true_result' ? 'true_result' : 'false_result';
    ctx.stop(route === 'true_result' ? 'false_result' : 'true_result');
    return route;
  });
}

function caseMessage(ctx: ComponentContext, field: string): Message {
  const value = ctx.params[field];
  if (value instanceof Message && value.text) return value;
  if (typeof value === 'string' && value) return new Message({ text: value });
  return new Message({ text: String(ctx.params.input_text ?? '') });
}

function respond(route: Route, field: string) {
  return async (ctx: ComponentContext) => {
    if ((await decide(ctx)) !== route) return new Message({ text: '' });
    const message = caseMessage(ctx, field);
    ctx.setStatus(message);
    return message;
  };
}

export const conditionalRouter = defineComponent({
  type: 'ConditionalRouter',
  displayName: 'If-Else',
  description: 'Routes an input message to a corresponding output based on text comparison.',
  category: 'flow_controls',
  icon: 'split',
  cycleDriver: true,
  inputs: [
    { name: 'input_text', displayName: 'Text Input', kind: 'text', default: '', inputTypes: ['Message'], required: true },
    {
      name: 'operator',
      displayName: 'Operator',
      kind: 'text',
      default: 'equals',
      options: ['equals', 'not equals', 'contains', 'starts with', 'ends with', 'regex', 'less than', 'less than or equal', 'greater than', 'greater than or equal'],
    },
    { name: 'match_text', displayName: 'Match Text', kind: 'text', default: '', inputTypes: ['Message'], required: true },
    { name: 'case_sensitive', displayName: 'Case Sensitive', kind: 'bool', default: true, advanced: true },
    { name: 'true_case_message', displayName: 'Case True', kind: 'message', inputTypes: ['Message'], advanced: true },
    { name: 'false_case_message', displayName: 'Case False', kind: 'message', inputTypes: ['Message'], advanced: true },
    { name: 'max_iterations', displayName: 'Max Iterations', kind: 'int', default: 10, advanced: true },
    { name: 'default_route', displayName: 'Default Route', kind: 'text', default: 'false_result', options: ['true_result', 'false_result'], advanced: true },
  ],
  outputs: [
    { name: 'true_result', displayName: 'True', types: ['Message'], method: 'true_response', groupOutputs: true },
    { name: 'false_result', displayName: 'False', types: ['Message'], method: 'false_response', groupOutputs: true },
  ],
  compute: {
    true_result: respond('true_result', 'true_case_message'),
    false_result: respond('false_result', 'false_case_message'),
  },
});
