// Relabelling a session from history (contract 11: PATCH /sessions/:id changes its tag and note, never
// its time): a tag picker with "No tag" and the caller's tags that are not archived (plus the session's
// own tag, archived or not), and the note.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FocusSession, Tag } from '../api/types.js';
import { unavailableMessage } from '../lib/progress.js';
import { listTags, relabelSession } from '../lib/tags.js';

const NOTE_MAX = 500;

interface Props {
  session: FocusSession;
  onSaved: (session: FocusSession) => void;
  onCancel: () => void;
}

export function HistoryRelabel({ session, onSaved, onCancel }: Props) {
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [tagId, setTagId] = useState(session.tag ? String(session.tag.id) : '');
  const [note, setNote] = useState(session.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    listTags()
      .then((answer) => (answer.ok ? setTags(answer.data) : setError(answer.message)))
      .catch((failure: unknown) => setError(unavailableMessage(failure, 'Your tags')))
      .finally(() => picker.current?.focus());
  }, []);

  const choices = (tags ?? []).filter((t) => !t.archived || t.id === session.tag?.id);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const trimmed = note.trim();
    try {
      const answer = await relabelSession(session.id, { tag_id: tagId === '' ? null : Number(tagId), note: trimmed === '' ? null : trimmed });
      if (answer.ok) onSaved(answer.data);
      else setError(answer.message);
    } catch (failure) {
      setError(unavailableMessage(failure, 'The change', 'saved'));
    } finally {
      setBusy(false);
    }
  };

  const id = `relabel-${session.id}`;
  return (
    <form class="relabel" onSubmit={submit} aria-label="Tag and note of this session">
      <label for={`${id}-tag`}>Tag</label>
      <select id={`${id}-tag`} ref={picker} value={tagId} disabled={!tags} onChange={(e) => setTagId(e.currentTarget.value)}>
        <option value="">No tag</option>
        {choices.map((t) => (
          <option key={t.id} value={String(t.id)}>
            {t.name}
            {t.archived ? ' (archived)' : ''}
          </option>
        ))}
      </select>
      <label for={`${id}-note`}>Note</label>
      <textarea id={`${id}-note`} rows={2} maxLength={NOTE_MAX} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={busy || !tags}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
