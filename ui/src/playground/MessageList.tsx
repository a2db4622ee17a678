// The chat's messages: the user's on the right, the flow's on the left, a failed run's error in red;
// each can be copied, and (signed in) edited or deleted. Attachments show as images or links.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { apiResponse } from '../api/http';
import { isUser, type ChatMessage } from './chat-state';
import { fileUrl } from './playground-api';

function Attachment({ path }: { path: string }): ReactNode {
  const { url, name, image } = fileUrl(path);
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    // The files routes need the session's token, which an <img src> would not send.
    if (!image) return;
    let revoked = false;
    let objectUrl: string | null = null;
    void apiResponse(url)
      .then((response) => response.blob())
      .then((blob) => {
        if (revoked) return;
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      })
      .catch(() => setSrc(null));
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, image]);
  if (image && src) return <img className="pg-image" src={src} alt={name} />;
  return <span className="pg-file">File: {name}</span>;
}

export interface MessageListProps {
  messages: ChatMessage[];
  editable: boolean;
  onEdit(message: ChatMessage, text: string): void;
  onDelete(message: ChatMessage): void;
  onCopy(message: ChatMessage): void;
}

export function MessageList({ messages, editable, onEdit, onDelete, onCopy }: MessageListProps): ReactNode {
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const end = useRef<HTMLLIElement>(null);
  const last = messages.at(-1);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, last?.text]);

  if (messages.length === 0) return <p className="pg-empty muted">No messages yet. Send one to run the flow.</p>;
  return (
    <div className="pg-messages" role="log" aria-label="Chat messages" aria-live="polite">
      <ol>
      {messages.map((message) => {
        const user = isUser(message);
        const failed = message.error || message.category === 'error';
        const edited = message.edit || message.properties?.edited === true;
        return (
          <li key={message.id} className={`pg-message ${user ? 'user' : 'bot'}${failed ? ' error' : ''}`} data-testid="chat-message" data-sender={message.sender} aria-busy={message.streaming || undefined}>
            <div className="pg-sender">
              {failed ? `Error${message.sender_name && message.sender_name !== 'Machine' ? ` in ${message.sender_name}` : ''}` : message.sender_name || message.sender}
              {edited && <span className="muted"> (edited)</span>}
            </div>
            {editing === message.id ? (
              <form
                className="pg-edit"
                onSubmit={(event) => {
                  event.preventDefault();
                  onEdit(message, draft);
                  setEditing(null);
                }}
              >
                <textarea aria-label="Edit the message" value={draft} onChange={(e) => setDraft(e.target.value)} rows={3} autoFocus />
                <div className="pg-edit-actions">
                  <button type="submit" className="primary">
                    Save
                  </button>
                  <button type="button" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                </div>
              </form>
            ) : (
              <div className="pg-text" data-testid="chat-text" role={failed ? 'alert' : undefined}>
                {message.text}
                {message.streaming && <span className="pg-cursor" aria-hidden="true" />}
              </div>
            )}
            {message.files.length > 0 && (
              <div className="pg-files">
                {message.files.map((path) => (
                  <Attachment key={path} path={path} />
                ))}
              </div>
            )}
            {!message.local && !message.streaming && editing !== message.id && (
              <div className="pg-actions">
                <button type="button" className="link-button" onClick={() => onCopy(message)} aria-label={`Copy message from ${message.sender_name}`}>
                  Copy
                </button>
                {editable && !failed && (
                  <>
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Edit message from ${message.sender_name}`}
                      onClick={() => {
                        setDraft(message.text);
                        setEditing(message.id);
                      }}
                    >
                      Edit
                    </button>
                    <button type="button" className="link-button" aria-label={`Delete message from ${message.sender_name}`} onClick={() => onDelete(message)}>
                      Delete
                    </button>
                  </>
                )}
              </div>
            )}
          </li>
        );
      })}
        <li ref={end} className="pg-end" aria-hidden="true" />
      </ol>
    </div>
  );
}
