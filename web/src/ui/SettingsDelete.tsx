// Deleting the account: typed confirmation (the account's email or DELETE), then DELETE /users/me; the
// app then shows the sign-in screen.
import { useState } from 'preact/hooks';
import { confirmsDeletion, deleteAccount } from '../lib/settings.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';

export function SettingsDelete({ email, onDeleted }: { email: string; onDeleted: () => void }) {
  const [typed, setTyped] = useState('');
  const { outcome, busy, run } = useAction();
  const confirmed = confirmsDeletion(typed, email);

  function submit(event: Event) {
    event.preventDefault();
    if (!confirmed) return;
    void run(async () => {
      const answer = await deleteAccount();
      if (!answer.ok) return { ok: false, text: answer.message };
      onDeleted();
      return null;
    });
  }

  return (
    <section class="panel settings-section settings-danger" aria-labelledby="settings-delete">
      <h2 id="settings-delete">Delete account</h2>
      <p>This deletes your account and all of its sessions, tags, progress and badges, for good. Export your data first if you want to keep it.</p>
      <form class="stack" onSubmit={submit}>
        <label>
          To confirm, type your email ({email}) or DELETE
          <input name="confirm_delete" autocomplete="off" spellcheck={false} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
        <SettingsStatus outcome={outcome} />
        <button type="submit" class="danger" disabled={busy || !confirmed}>
          Delete my account
        </button>
      </form>
    </section>
  );
}
