// What a Lock-in is for (contract section 11): pick one of the tags that are not archived, or create one
// with its colour, and an optional note. The picker's form sends them as tag_id and note.
import { useEffect, useState } from 'preact/hooks';
import type { Tag } from '../api/types.js';
import type { SessionLabel } from '../lib/focus.js';
import { createTag, listTags } from '../lib/tags.js';
import './timer.css';

export const NOTE_MAX = 500;
// The server's rule for a note (contract 1.1 text fields): no control character but tab, line feed and
// carriage return. Said here in words before sending, rather than as the schema's pattern afterwards.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOTE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Why the note cannot be sent, or null. */
export function noteProblem(note: string): string | null {
  return NOTE_CONTROL.test(note) ? 'A note cannot contain control characters (only tabs and line breaks). Remove them to Lock-in.' : null;
}
const NEW_TAG = 'new';
/** A few colours to start a tag with (the server keeps any #RRGGBB); names for screen readers. */
const SWATCHES = [
  ['#4F46E5', 'Indigo'],
  ['#0F9D6B', 'Green'],
  ['#D97706', 'Amber'],
  ['#C2332F', 'Red'],
  ['#0284C7', 'Blue'],
  ['#9333EA', 'Purple'],
] as const;

export function LockinLabel({ value, onChange }: { value: SessionLabel; onChange: (next: SessionLabel) => void }) {
  const [tags, setTags] = useState<Tag[]>([]);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [color, setColor] = useState<string>(SWATCHES[0][0]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    listTags()
      .then((answer) => (answer.ok ? setTags(answer.data.filter((tag) => !tag.archived)) : setProblem(answer.message)))
      .catch(() => undefined); // offline: no tags to offer, Lock-in needs the network anyway
  }, []);

  async function add() {
    setProblem(null);
    try {
      const answer = await createTag(name, color);
      if (!answer.ok) return setProblem(answer.message);
      setTags((list) => [...list, answer.data].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })));
      onChange({ ...value, tagId: answer.data.id });
      setCreating(false);
      setName('');
    } catch {
      setProblem('The tag could not be created: you seem to be offline.');
    }
  }

  const chosen = tags.find((tag) => tag.id === value.tagId);
  const noteError = noteProblem(value.note);
  return (
    <div class="lockin-label">
      <div class="field">
        <label for="lockin-tag">Tag</label>
        <span class="lockin-select">
          {chosen && <span class="tag-dot" style={{ background: chosen.color }} aria-hidden="true" />}
          <select
            id="lockin-tag"
            value={creating ? NEW_TAG : String(value.tagId ?? '')}
            onChange={(e) => {
              const picked = e.currentTarget.value;
              setCreating(picked === NEW_TAG);
              if (picked !== NEW_TAG) onChange({ ...value, tagId: picked === '' ? null : Number(picked) });
            }}
          >
            <option value="">No tag</option>
            {tags.map((tag) => (
              <option key={tag.id} value={String(tag.id)}>
                {tag.name}
              </option>
            ))}
            <option value={NEW_TAG}>New tag…</option>
          </select>
        </span>
      </div>
      {creating && (
        <div class="lockin-new-tag" role="group" aria-label="New tag">
          <label class="field">
            Tag name
            <input
              value={name}
              maxLength={40}
              autoFocus
              onInput={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Enter adds the tag; it must not submit the picker (that would Lock-in).
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void add();
                }
              }}
            />
          </label>
          <fieldset class="swatches">
            <legend class="visually-hidden">Colour</legend>
            {SWATCHES.map(([hex, label]) => (
              <label class="swatch" key={hex}>
                <input type="radio" name="tag-color" value={hex} checked={color === hex} onChange={() => setColor(hex)} aria-label={label} />
                <span style={{ background: hex }} aria-hidden="true" />
              </label>
            ))}
          </fieldset>
          <button type="button" class="secondary" disabled={name.trim() === ''} onClick={() => void add()}>
            Add tag
          </button>
        </div>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="field">
        <label for="lockin-note">Note (optional)</label>
        <textarea
          id="lockin-note"
          rows={2}
          maxLength={NOTE_MAX}
          value={value.note}
          aria-invalid={noteError !== null}
          aria-describedby={noteError ? 'lockin-note-count lockin-note-error' : 'lockin-note-count'}
          onInput={(e) => onChange({ ...value, note: e.currentTarget.value })}
        />
        <span id="lockin-note-count" class="hint">
          {value.note.length}/{NOTE_MAX}
        </span>
        {noteError && (
          <span id="lockin-note-error" class="error" role="alert">
            {noteError}
          </span>
        )}
      </div>
    </div>
  );
}
