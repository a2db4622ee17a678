/**
 * The AI SDK is loaded on first use, not when the component registry loads: a server that runs
 * no model never pays its start-up time or memory.
 */
type AiModule = typeof import('ai');

let loaded: AiModule | null = null;

export async function loadAi(): Promise<AiModule> {
  loaded ??= await import('ai');
  return loaded;
}

/** The SDK if something already loaded it (errors it throws can only exist then). */
export function aiIfLoaded(): AiModule | null {
  return loaded;
}
