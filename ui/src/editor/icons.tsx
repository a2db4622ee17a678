// A handful of line icons for the components Weft ships, by Langflow's icon names (lucide's); any
// other name gets a monogram. A full icon set would weigh more than the whole editor.
import type { ReactNode } from 'react';

const PATHS: Record<string, string> = {
  chat: 'M4 5h16v10H9l-5 4z',
  braces: 'M9 4c-2 0-3 1-3 3v2c0 1-1 2-2 3 1 1 2 2 2 3v2c0 2 1 3 3 3M15 4c2 0 3 1 3 3v2c0 1 1 2 2 3-1 1-2 2-2 3v2c0 2-1 3-3 3',
  sparkles: 'M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2zM19 15l1 2 2 1-2 1-1 2-1-2-2-1 2-1z',
  bot: 'M6 8h12v10H6zM12 4v4M9 13h.01M15 13h.01M3 12v3M21 12v3',
  globe: 'M12 3a9 9 0 100 18 9 9 0 000-18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  table: 'M4 5h16v14H4zM4 10h16M4 15h16M10 5v14',
  repeat: 'M17 2l3 3-3 3M4 11V9a4 4 0 014-4h12M7 22l-3-3 3-3M20 13v2a4 4 0 01-4 4H4',
  calculator: 'M6 3h12v18H6zM9 7h6M9 12h.01M12 12h.01M15 12h.01M9 16h.01M12 16h.01M15 16h.01',
  type: 'M5 6V4h14v2M12 4v16M9 20h6',
  split: 'M16 3h5v5M8 3H3v5M21 3l-7 7M3 3l7 7M12 14v7',
  filter: 'M3 4h18l-7 8v6l-4 2v-8z',
  database: 'M4 6c0-2 16-2 16 0v12c0 2-16 2-16 0zM4 6c0 2 16 2 16 0M4 12c0 2 16 2 16 0',
  note: 'M5 4h14v11l-5 5H5zM14 20v-5h5',
  group: 'M3 3h8v8H3zM13 3h8v8h-8zM3 13h8v8H3zM13 13h8v8h-8z',
  alert: 'M12 3l10 18H2zM12 10v5M12 18h.01',
  webhook: 'M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 012 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 116.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 010 8',
};

/** Langflow icon names (lowercased) → our paths. */
const ALIASES: Record<string, string> = {
  messagessquare: 'chat',
  messagesquare: 'chat',
  messagesquaretext: 'chat',
  braces: 'braces',
  prompts: 'braces',
  terminalsquare: 'braces',
  braincircuit: 'sparkles',
  brain: 'sparkles',
  sparkles: 'sparkles',
  openai: 'sparkles',
  anthropic: 'sparkles',
  googlegenerativeai: 'sparkles',
  ollama: 'sparkles',
  groq: 'sparkles',
  mistralai: 'sparkles',
  azure: 'sparkles',
  bot: 'bot',
  botmessagesquare: 'bot',
  globe: 'globe',
  link: 'globe',
  table: 'table',
  sheet: 'table',
  infinity: 'repeat',
  repeat: 'repeat',
  calculator: 'calculator',
  type: 'type',
  scissorslinedashed: 'split',
  split: 'split',
  filter: 'filter',
  database: 'database',
  messagesquaremore: 'database',
  webhook: 'webhook',
  stickynote: 'note',
  group: 'group',
};

export function Icon({ name, label, size = 18 }: { name: string | null | undefined; label: string; size?: number }): ReactNode {
  const key = ALIASES[(name ?? '').replace(/[^a-z]/gi, '').toLowerCase()];
  const path = key ? PATHS[key] : undefined;
  if (!path) {
    const letters = (label.match(/\b[A-Za-z0-9]/g) ?? ['?']).slice(0, 2).join('').toUpperCase();
    return (
      <span className="icon-monogram" style={{ width: size, height: size, fontSize: size * 0.5 }} aria-hidden="true">
        {letters}
      </span>
    );
  }
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={path} />
    </svg>
  );
}
