// The history, newest first, a page at a time: when, how long, the tag (colour dot and name) and the
// note of each session, with an Edit button to relabel it.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { FocusSession } from '../api/types.js';
import { duration } from '../lib/format.js';
import { loadHistory, unavailableMessage } from '../lib/progress.js';
import { HistoryRelabel } from './HistoryRelabel.js';

const PAGE = 10;

/** `onRelabel` is told after a session got another tag or note (the summary's by-tag breakdown changes). */
export function HistoryList({ timeZone, onRelabel }: { timeZone: string; onRelabel: () => void }) {
  const [items, setItems] = useState<FocusSession[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState(true); // the first page loads on mount: no "No sessions yet" before it has answered
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [saved, setSaved] = useState('');
  const list = useRef<HTMLUListElement>(null);

  const loadPage = useCallback(async (after: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await loadHistory(after, PAGE);
      setItems((prev) => (after ? [...prev, ...page.sessions] : page.sessions));
      setCursor(page.cursor);
      setHasMore(page.hasMore);
    } catch (failure) {
      setError(unavailableMessage(failure, 'History'));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void loadPage(null);
  }, [loadPage]);

  // Back to the session's Edit button after the form closes, so focus never falls to the page body.
  const close = (id: number) => {
    setEditing(null);
    requestAnimationFrame(() => list.current?.querySelector<HTMLButtonElement>(`[data-edit="${id}"]`)?.focus());
  };
  const onSaved = (session: FocusSession) => {
    setItems((prev) => prev.map((s) => (s.id === session.id ? session : s)));
    setSaved(`Saved: ${session.tag?.name ?? 'no tag'}${session.note ? `, “${session.note}”` : ''}.`);
    close(session.id);
    onRelabel();
  };

  const when = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return (
    <section class="panel" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {!busy && !error && items.length === 0 && <p class="muted">No sessions yet. Your first Lock-in will show up here.</p>}
      <ul class="history-list" data-testid="history" ref={list}>
        {items.map((s) => {
          const at = when.format(new Date(s.started_at));
          return (
            <li key={s.id} class="history-item" data-session={s.id}>
              <span class="history-when">{at}</span>
              <span class={`pill ${s.status}`}>{s.status}</span>
              <span class="history-what">
                {duration(s.elapsed_seconds)} <span class="muted">of {duration(s.duration_seconds)}</span>
              </span>
              <span class="history-tag" data-testid="history-tag">
                <span class="tag-dot" style={{ background: s.tag?.color ?? 'var(--muted)' }} aria-hidden="true" />
                {s.tag?.name ?? 'No tag'}
              </span>
              {s.note && <span class="history-note">{s.note}</span>}
              {editing === s.id ? (
                <HistoryRelabel session={s} onSaved={onSaved} onCancel={() => close(s.id)} />
              ) : (
                <button type="button" class="link history-edit" data-edit={s.id} aria-label={`Edit tag and note of the session of ${at}`} onClick={() => setEditing(s.id)}>
                  Edit
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <p class="visually-hidden" role="status">
        {saved}
      </p>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      {(hasMore || error) && (
        <button type="button" class="secondary" disabled={busy} onClick={() => loadPage(error && items.length === 0 ? null : cursor)}>
          {busy ? 'Loading…' : error ? 'Try again' : 'Show more'}
        </button>
      )}
    </section>
  );
}
