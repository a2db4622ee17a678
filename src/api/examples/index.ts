import promptEcho from './prompt-echo.json' with { type: 'json' };
import webhookParser from './webhook-parser.json' with { type: 'json' };

/**
 * Weft's own example flows (the "Starter Projects" of `/starter-projects/` and `/flows/basic_examples/`),
 * saved in Langflow's flow format. They need no model, so they run anywhere.
 */
export function exampleFlows(): Record<string, unknown>[] {
  return [promptEcho, webhookParser].map((flow) => structuredClone(flow) as Record<string, unknown>);
}
