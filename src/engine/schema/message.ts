import { Data } from './data.js';
import { timeOrderedUuid } from './ids.js';
import { langflowTimestamp } from './time.js';

export interface MessageSource {
  id: string | null;
  display_name: string | null;
  source: string | null;
}

export interface MessageProperties {
  text_color: string;
  background_color: string;
  edited: boolean;
  source: MessageSource;
  icon: string;
  allow_markdown: boolean;
  positive_feedback: boolean | null;
  state: 'partial' | 'complete';
  targets: unknown[];
  [key: string]: unknown;
}

export interface ContentBlock {
  title: string;
  contents: Record<string, unknown>[];
  allow_markdown?: boolean;
  media_url?: string[] | null;
}

export interface MessageInit {
  text?: string;
  sender?: string | null;
  sender_name?: string | null;
  session_id?: string;
  context_id?: string;
  flow_id?: string | null;
  files?: string[];
  id?: string;
  timestamp?: string;
  error?: boolean;
  edit?: boolean;
  category?: string;
  properties?: Partial<MessageProperties>;
  content_blocks?: ContentBlock[];
  duration?: number | null;
}

export function defaultProperties(): MessageProperties {
  return {
    text_color: '',
    background_color: '',
    edited: false,
    source: { id: null, display_name: null, source: null },
    icon: '',
    allow_markdown: false,
    positive_feedback: null,
    state: 'complete',
    targets: [],
  };
}

/** Langflow's chat `Message` (a `Data` with chat fields). */
export class Message {
  id: string | undefined;
  text: string;
  sender: string | null;
  sender_name: string | null;
  session_id: string;
  context_id: string;
  flow_id: string | null;
  files: string[];
  timestamp: string;
  error: boolean;
  edit: boolean;
  category: string;
  properties: MessageProperties;
  content_blocks: ContentBlock[];
  duration: number | null;
  /** Tokens still to arrive from a model; consumed once (by ChatOutput, or drained by the engine). */
  stream: AsyncIterable<string> | null = null;

  constructor(init: MessageInit = {}) {
    this.id = init.id;
    this.text = init.text ?? '';
    this.sender = init.sender ?? null;
    this.sender_name = init.sender_name ?? null;
    this.session_id = init.session_id ?? '';
    this.context_id = init.context_id ?? '';
    this.flow_id = init.flow_id ?? null;
    this.files = init.files ?? [];
    this.timestamp = init.timestamp ?? langflowTimestamp();
    this.error = init.error ?? false;
    this.edit = init.edit ?? false;
    this.category = init.category ?? 'message';
    this.properties = { ...defaultProperties(), ...init.properties };
    this.content_blocks = init.content_blocks ?? [];
    this.duration = init.duration ?? null;
  }

  ensureId(): string {
    this.id ??= timeOrderedUuid();
    return this.id;
  }

  /** The chat fields, as stored and as sent in `add_message` events. */
  toRecord(): Record<string, unknown> {
    const record: Record<string, unknown> = {
      timestamp: this.timestamp,
      sender: this.sender,
      sender_name: this.sender_name,
      session_id: this.session_id,
      context_id: this.context_id,
      text: this.text,
      files: this.files,
      error: this.error,
      edit: this.edit,
      properties: this.properties,
      category: this.category,
      content_blocks: this.content_blocks,
      id: this.id ?? null,
      flow_id: this.flow_id,
      duration: this.duration,
    };
    return record;
  }

  /** Langflow's `Message.model_dump()` shape used in run results. */
  toJSON(): Record<string, unknown> {
    const record = this.toRecord();
    return {
      text_key: 'text',
      data: record,
      default_value: '',
      ...record,
    };
  }

  /** Reads any pending token stream into `text`, calling `onToken` for each chunk. */
  async drain(onToken?: (chunk: string) => void): Promise<string> {
    const stream = this.stream;
    if (!stream) return this.text;
    this.stream = null;
    let text = this.text;
    for await (const chunk of stream) {
      text += chunk;
      onToken?.(chunk);
    }
    this.text = text;
    return text;
  }

  toData(): Data {
    return new Data(this.toRecord());
  }

  clone(overrides: MessageInit = {}): Message {
    return new Message({ ...this.toInit(), ...overrides });
  }

  toInit(): MessageInit {
    return {
      id: this.id,
      text: this.text,
      sender: this.sender,
      sender_name: this.sender_name,
      session_id: this.session_id,
      context_id: this.context_id,
      flow_id: this.flow_id,
      files: [...this.files],
      timestamp: this.timestamp,
      error: this.error,
      edit: this.edit,
      category: this.category,
      properties: structuredClone(this.properties),
      content_blocks: structuredClone(this.content_blocks),
      duration: this.duration,
    };
  }

  static fromRecord(record: Record<string, unknown>): Message {
    return new Message(record as MessageInit);
  }
}
