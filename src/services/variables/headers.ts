const PREFIX = 'x-langflow-global-var-';

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function entriesOf(headers: HeaderBag): [string, string][] {
  const entries: [string, string][] = [];
  if (headers instanceof Headers) {
    headers.forEach((value, name) => entries.push([name, value]));
    return entries;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // Repeated headers: the last one wins, as Starlette's dict(request.headers) does.
    entries.push([name, Array.isArray(value) ? value[value.length - 1] : value]);
  }
  return entries;
}

/**
 * Request variables from `X-LANGFLOW-GLOBAL-VAR-<NAME>` headers, mapped exactly as Langflow's code does:
 * lower-case the header name, strip the prefix, upper-case the rest, keep dashes
 * (`...-VAR-API-KEY` → `API-KEY`, whatever Langflow's docstring says).
 */
export function requestVariablesFromHeaders(headers: HeaderBag): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [rawName, value] of entriesOf(headers)) {
    const name = rawName.toLowerCase();
    if (!name.startsWith(PREFIX)) continue;
    const variable = name.slice(PREFIX.length).toUpperCase();
    if (variable) variables[variable] = value;
  }
  return variables;
}
