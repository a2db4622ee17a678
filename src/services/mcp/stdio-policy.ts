/**
 * Who may start a process for a stdio MCP server (`{command, args, env}`): starting one runs an OS
 * command as the server's user, so it is an administrator's decision. Only a superuser's saved
 * servers are ever started, and only with a command of `WEFT_MCP_STDIO_COMMANDS` (`*`: any).
 * Node configs and tweaks never bring their own command (the MCP Tools component ignores it).
 */

export interface StdioCaller {
  is_superuser: boolean;
}

/** The environment variable that allow-lists stdio commands (named in refusals, so admins know what to set). */
export const STDIO_COMMANDS_SETTING = 'WEFT_MCP_STDIO_COMMANDS';

/** A document's command, when it describes a stdio server. */
export function stdioCommandOf(document: Record<string, unknown>): string | null {
  const command = document.command;
  if (command === undefined || command === null || command === '') return null;
  return typeof command === 'string' ? command : JSON.stringify(command);
}

/** Why `caller` may not run `command` (null: allowed). The command must match an entry exactly. */
export function stdioRefusal(caller: StdioCaller | null | undefined, command: string, allowedCommands: readonly string[]): string | null {
  if (!caller?.is_superuser) return 'Only a superuser may configure or start stdio MCP servers (a command); use a server URL instead.';
  if (allowedCommands.includes('*') || allowedCommands.includes(command)) return null;
  const allowed = allowedCommands.length > 0 ? allowedCommands.join(', ') : 'none';
  return `The command "${command}" is not allowed for stdio MCP servers (allowed: ${allowed}; set ${STDIO_COMMANDS_SETTING}).`;
}
