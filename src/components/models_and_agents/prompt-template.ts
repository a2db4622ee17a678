/** Prompt variables and rendering: f-string `{var}` (with `{{`/`}}` escapes) or mustache `{{var}}`. */

export type PromptMode = 'f-string' | 'mustache';

const FSTRING_VAR = /\{\{|\}\}|\{([^{}]*)\}/g;
const MUSTACHE_VAR = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

export function promptVariables(template: string, mode: PromptMode): string[] {
  const found: string[] = [];
  const pattern = mode === 'mustache' ? MUSTACHE_VAR : FSTRING_VAR;
  for (const match of template.matchAll(pattern)) {
    const name = match[1]?.trim();
    if (name && !found.includes(name)) found.push(name);
  }
  return found;
}

export function renderPrompt(template: string, mode: PromptMode, values: Record<string, string>): string {
  if (mode === 'mustache') return template.replace(MUSTACHE_VAR, (_, name: string) => values[name] ?? '');
  return template.replace(FSTRING_VAR, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    return values[name!.trim()] ?? '';
  });
}
