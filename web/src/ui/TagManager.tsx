// Settings' tag list (contract 11): every tag, archived ones too, with a form for a new one.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Tag } from '../api/types.js';
import { createTag, listTags } from '../lib/tags.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';
import { TagRow } from './TagRow.js';

const byName = (a: Tag, b: Tag) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());

export function TagManager() {
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [name, setName] = useState('');
  const { outcome, busy, run, setOutcome } = useAction();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    void run(async () => {
      const answer = await listTags();
      if (!answer.ok) return { ok: false, text: answer.message };
      setTags(answer.data);
      return null;
    });
  }, [run]);

  const saved = (tag: Tag) => setTags((list) => (list ?? []).map((t) => (t.id === tag.id ? tag : t)).sort(byName));
  const deleted = (id: number) => {
    setTags((list) => (list ?? []).filter((t) => t.id !== id));
    heading.current?.focus();
  };

  function create(event: Event) {
    event.preventDefault();
    if (!name.trim()) return setOutcome({ ok: false, text: 'Give the tag a name.' });
    void run(async () => {
      const answer = await createTag(name.trim());
      if (!answer.ok) return { ok: false, text: answer.message };
      setTags((list) => [...(list ?? []), answer.data].sort(byName));
      setName('');
      return { ok: true, text: `Tag “${answer.data.name}” created.` };
    });
  }

  return (
    <section class="panel settings-section" aria-labelledby="settings-tags">
      <h2 id="settings-tags" ref={heading} tabIndex={-1}>
        Tags
      </h2>
      {tags === null ? (
        <p class="muted">{busy ? 'Loading your tags…' : ''}</p>
      ) : tags.length === 0 ? (
        <p class="muted">No tags yet. Create one here or when you lock in.</p>
      ) : (
        <ul class="settings-tag-list">
          {tags.map((tag) => (
            <TagRow key={tag.id} tag={tag} busy={busy} run={run} onSaved={saved} onDeleted={deleted} />
          ))}
        </ul>
      )}
      <form class="row settings-tag-new" onSubmit={create}>
        <label class="wide">
          New tag
          <input name="new_tag" maxLength={40} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary" disabled={busy}>
          Add tag
        </button>
      </form>
      <SettingsStatus outcome={outcome} testId="tags-status" />
    </section>
  );
}
