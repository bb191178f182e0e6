// One tag in settings: rename and recolor (edit), archive or unarchive, delete after a confirmation.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Tag } from '../api/types.js';
import { deleteTag, updateTag } from '../lib/tags.js';
import type { Outcome } from './SettingsStatus.js';

interface Props {
  tag: Tag;
  busy: boolean;
  run: (work: () => Promise<Outcome>) => Promise<void>;
  onSaved: (tag: Tag) => void;
  onDeleted: (id: number) => void;
}

type Mode = 'view' | 'edit' | 'delete';

export function TagRow({ tag, busy, run, onSaved, onDeleted }: Props) {
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState(tag.name);
  const [color, setColor] = useState(tag.color.toLowerCase());
  const nameInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);

  // Keyboard focus follows the row: into the form or confirmation when it opens, back to Edit after.
  useEffect(() => {
    if (mode === 'edit') nameInput.current?.focus();
    else if (mode === 'delete') confirmButton.current?.focus();
    else if (opened.current) editButton.current?.focus();
    opened.current = true;
  }, [mode]);

  function open(next: Mode) {
    setName(tag.name);
    setColor(tag.color.toLowerCase());
    setMode(next);
  }

  function save(event: Event) {
    event.preventDefault();
    const patch: { name?: string; color?: string } = {};
    if (name.trim() !== tag.name) patch.name = name.trim();
    if (color.toUpperCase() !== tag.color.toUpperCase()) patch.color = color;
    if (!patch.name && !patch.color) return setMode('view');
    void run(async () => {
      const answer = await updateTag(tag.id, patch);
      if (!answer.ok) return { ok: false, text: answer.message };
      onSaved(answer.data);
      setMode('view');
      return { ok: true, text: `Tag “${answer.data.name}” saved.` };
    });
  }

  const archive = () =>
    run(async () => {
      const answer = await updateTag(tag.id, { archived: !tag.archived });
      if (!answer.ok) return { ok: false, text: answer.message };
      onSaved(answer.data);
      return { ok: true, text: answer.data.archived ? `Tag “${tag.name}” archived: it is no longer offered at Lock-in.` : `Tag “${tag.name}” is back in use.` };
    });

  const remove = () =>
    run(async () => {
      const answer = await deleteTag(tag.id);
      if (!answer.ok) return { ok: false, text: answer.message };
      onDeleted(tag.id);
      return { ok: true, text: `Tag “${tag.name}” deleted. Its sessions kept their time.` };
    });

  return (
    <li class="settings-tag-row">
      {mode === 'edit' ? (
        <form class="settings-tag-edit" onSubmit={save}>
          <label>
            Name
            <input ref={nameInput} required maxLength={40} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="settings-tag-color">
            Color
            <input type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
          </label>
          <div class="cluster">
            <button type="submit" class="primary" disabled={busy}>
              Save
            </button>
            <button type="button" class="ghost" onClick={() => setMode('view')}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <span class="settings-tag-swatch" style={{ background: tag.color }} aria-hidden="true" />
          <span class="settings-tag-name">{tag.name}</span>
          {tag.archived && <span class="pill">archived</span>}
          <div class="settings-tag-actions">
            <button ref={editButton} type="button" class="link" aria-label={`Edit ${tag.name}`} onClick={() => open('edit')}>
              Edit
            </button>
            <button type="button" class="link" aria-label={`${tag.archived ? 'Unarchive' : 'Archive'} ${tag.name}`} disabled={busy} onClick={() => void archive()}>
              {tag.archived ? 'Unarchive' : 'Archive'}
            </button>
            <button type="button" class="link settings-tag-delete" aria-label={`Delete ${tag.name}`} onClick={() => open('delete')}>
              Delete
            </button>
          </div>
          {mode === 'delete' && (
            <div class="settings-tag-confirm" role="group" aria-label={`Delete ${tag.name}?`}>
              <p>Delete “{tag.name}”? Sessions that carry it become untagged; their time stays in every total.</p>
              <div class="cluster">
                <button ref={confirmButton} type="button" class="danger" disabled={busy} onClick={() => void remove()}>
                  Delete tag
                </button>
                <button type="button" class="ghost" onClick={() => setMode('view')}>
                  Keep it
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </li>
  );
}
