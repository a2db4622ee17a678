// The playground: chat with a flow. A message runs the flow through the same build and event stream
// as the editor's Run (so the canvas shows each component's state); the chat folds the stream's
// message events (add_message, token, error). Signed in, the session's history comes from the
// monitor API and can be renamed, deleted and edited; a public flow's visitor chats without history.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { SavedFlowData } from '../editor/flow-types';
import type { Runner } from '../editor/run';
import { applyChatEvent, localUserMessage, type ChatMessage } from './chat-state';
import { withTextInputs, type FlowIo } from './flow-io';
import { MessageList } from './MessageList';
import { playgroundApi } from './playground-api';
import { SessionList } from './SessionList';
import './playground.css';

export interface PlaygroundProps {
  flowId: string;
  runner: Runner;
  io: FlowIo;
  /** The graph to run (the canvas, unsaved edits included); null runs the stored flow. */
  data: () => SavedFlowData | null;
  /** A public flow's signed-out visitor: Langflow's build_public_tmp, no stored history. */
  isPublic?: boolean;
  /** Heading level context: the panel is beside the canvas, the page is alone. */
  layout: 'panel' | 'page';
  onClose?: () => void;
  actions?: ReactNode;
}

const sessionsKey = (flowId: string) => ['playground', flowId, 'sessions'] as const;
const messagesKey = (flowId: string, session: string) => ['playground', flowId, 'messages', session] as const;

function publicSessionId(flowId: string): string {
  const key = `weft-playground-session:${flowId}`;
  const known = localStorage.getItem(key);
  if (known) return known;
  const id = crypto.randomUUID();
  localStorage.setItem(key, id);
  return id;
}

export function Playground({ flowId, runner, io, data, isPublic = false, layout, onClose, actions }: PlaygroundProps): ReactNode {
  const client = useQueryClient();
  // The default session: the flow's id (Langflow's), or a visitor's own id on a public flow.
  const [defaultSession] = useState(() => (isPublic ? publicSessionId(flowId) : flowId));
  const [session, setSession] = useState(defaultSession);
  const [started, setStarted] = useState<string[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const status = useStore(runner.store, (s) => s.run.status);
  const nodes = useStore(runner.store, (s) => s.run.nodes);
  const busy = status === 'starting' || status === 'running';
  const fileInput = useRef<HTMLInputElement>(null);

  const sessions = useQuery({ queryKey: sessionsKey(flowId), queryFn: () => playgroundApi.sessions(flowId), enabled: !isPublic });
  const history = useQuery({ queryKey: messagesKey(flowId, session), queryFn: () => playgroundApi.messages(flowId, session), enabled: !isPublic, staleTime: 0 });
  useEffect(() => {
    if (history.data) setMessages(history.data);
  }, [history.data]);

  // Every event of a build, whoever started it, updates the chat.
  useEffect(() => runner.listen((event) => setMessages((current) => applyChatEvent(current, event))), [runner]);
  useEffect(() => {
    if (status === 'done' || status === 'failed') void client.invalidateQueries({ queryKey: sessionsKey(flowId) });
  }, [status, client, flowId]);

  const allSessions = useMemo(() => {
    return [...new Set([defaultSession, ...(sessions.data ?? []), ...started, session])];
  }, [defaultSession, sessions.data, started, session]);

  function switchTo(id: string): void {
    setSession(id);
    setMessages([]);
  }

  async function send(): Promise<void> {
    if (busy) return;
    const value = text;
    if (io.chatInput && !value.trim() && files.length === 0) return;
    setNotice(null);
    if (io.chatInput && value !== '') setMessages((current) => [...current, localUserMessage(value, session, files)]);
    setText('');
    const attached = files;
    setFiles([]);
    const graph = data();
    await runner.start(flowId, graph && !isPublic ? withTextInputs(graph, inputs) : null, undefined, {
      // Without a Chat Input the Text Inputs keep their own values (an input_value would replace them).
      inputs: io.chatInput ? { input_value: value, session, type: 'chat' } : undefined,
      files: attached,
      public: isPublic,
      direct: true,
    });
    const run = runner.store.getState().run;
    if (run.status === 'failed' && run.error && !runner.store.getState().run.errorNode) setNotice(run.error);
  }

  async function attach(list: FileList | null): Promise<void> {
    if (!list || list.length === 0) return;
    setUploading(true);
    try {
      const paths: string[] = [];
      for (const file of Array.from(list)) paths.push(await playgroundApi.upload(flowId, file));
      setFiles((current) => [...current, ...paths]);
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  async function act(action: () => Promise<unknown>, refresh = true): Promise<void> {
    try {
      await action();
      if (refresh) await client.invalidateQueries({ queryKey: ['playground', flowId] });
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  const outputText = (id: string): string => {
    const outputs = nodes[id]?.outputs;
    if (!outputs) return '';
    for (const log of Object.values(outputs)) {
      const message = log.message;
      if (typeof message === 'string') return message;
      if (message && typeof message === 'object' && 'text' in message) return String((message as { text: unknown }).text);
    }
    return '';
  };

  const Heading = layout === 'page' ? 'h1' : 'h2';
  return (
    <section className={`playground ${layout}`} aria-labelledby="playground-title">
      <header className="pg-head">
        <Heading id="playground-title">Playground</Heading>
        <span className="toolbar-spacer" />
        {actions}
        {onClose && (
          <button type="button" className="icon-button" aria-label="Close the playground" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="pg-body">
        <SessionList
          defaultSession={defaultSession}
          sessions={allSessions}
          current={session}
          editable={!isPublic}
          onSelect={switchTo}
          onNew={() => {
            const id = `Session ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
            setStarted((list) => [...list, id]);
            switchTo(id);
          }}
          onRename={(id, name) => {
            setStarted((list) => list.map((s) => (s === id ? name : s)));
            if (session === id) setSession(name);
            if (sessions.data?.includes(id)) void act(() => playgroundApi.renameSession(id, name));
          }}
          onDelete={(id) => {
            setStarted((list) => list.filter((s) => s !== id));
            if (session === id) switchTo(defaultSession);
            void act(() => playgroundApi.deleteSession(id));
          }}
        />
        <div className="pg-chat">
          <MessageList
            messages={messages}
            editable={!isPublic}
            onCopy={(message) => {
              void navigator.clipboard
                .writeText(message.text)
                .then(() => setNotice('Copied to the clipboard'))
                .catch(() => setNotice('The clipboard is not available'));
            }}
            onEdit={(message, value) => {
              setMessages((list) => list.map((m) => (m.id === message.id ? { ...m, text: value, edit: true } : m)));
              void act(() => playgroundApi.editMessage(message, value));
            }}
            onDelete={(message) => {
              setMessages((list) => list.filter((m) => m.id !== message.id));
              void act(() => playgroundApi.deleteMessages([message.id]));
            }}
          />
          {notice && (
            <p className="pg-notice" role="status">
              {notice}
            </p>
          )}
          <form
            className="pg-input"
            onSubmit={(event) => {
              event.preventDefault();
              void send();
            }}
          >
            {files.length > 0 && (
              <ul className="pg-attached" aria-label="Attached files">
                {files.map((path) => (
                  <li key={path}>
                    {path.split('/').pop()}
                    <button type="button" className="icon-button" aria-label={`Remove ${path.split('/').pop()}`} onClick={() => setFiles((list) => list.filter((p) => p !== path))}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <textarea
              aria-label="Message"
              placeholder={io.chatInput ? 'Send a message…' : 'This flow has no Chat Input: Send runs it'}
              value={text}
              disabled={!io.chatInput}
              rows={2}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void send();
                }
              }}
            />
            <div className="pg-input-actions">
              {io.acceptsFiles && !isPublic && (
                <>
                  <input ref={fileInput} id="pg-file" type="file" multiple tabIndex={-1} className="visually-hidden" onChange={(e) => void attach(e.target.files)} aria-label="Attach files" />
                  <button type="button" onClick={() => fileInput.current?.click()} disabled={uploading}>
                    {uploading ? 'Uploading…' : 'Attach file'}
                  </button>
                </>
              )}
              <span className="toolbar-spacer" />
              {busy ? (
                <button type="button" className="danger" onClick={() => void runner.stop()}>
                  Stop
                </button>
              ) : (
                <button type="submit" className="primary" disabled={uploading}>
                  Send
                </button>
              )}
            </div>
          </form>
        </div>
        {(io.textInputs.length > 0 || io.textOutputs.length > 0) && (
          <aside className="pg-io" aria-label="Text inputs and outputs">
            {io.textInputs.map((node) => (
              <div key={node.id} className="pg-field">
                <span id={`pg-in-${node.id}`}>{node.name}</span>
                <textarea aria-labelledby={`pg-in-${node.id}`} rows={3} value={inputs[node.id] ?? node.value} disabled={isPublic} onChange={(e) => setInputs((all) => ({ ...all, [node.id]: e.target.value }))} />
              </div>
            ))}
            {io.textOutputs.map((node) => (
              <div key={node.id} className="pg-field">
                <span id={`pg-out-${node.id}`}>{node.name}</span>
                <textarea aria-labelledby={`pg-out-${node.id}`} rows={4} readOnly value={outputText(node.id)} data-testid="text-output" />
              </div>
            ))}
          </aside>
        )}
      </div>
    </section>
  );
}
