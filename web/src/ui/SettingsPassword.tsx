// Change the password (contract 16): the current one is checked by the server; other devices are signed out.
import { useState } from 'preact/hooks';
import { changePassword } from '../lib/settings.js';
import { SettingsPasswordField } from './SettingsPasswordField.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';

export function SettingsPassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [show, setShow] = useState(false);
  const { outcome, busy, run } = useAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const answer = await changePassword(current, next);
      if (!answer.ok) return { ok: false, text: answer.message };
      setCurrent('');
      setNext('');
      return { ok: true, text: 'Password changed. Your other devices are signed out; this one stays signed in.' };
    });
  }

  return (
    <section class="panel settings-section" aria-labelledby="settings-password">
      <h2 id="settings-password">Password</h2>
      <form class="stack" onSubmit={submit}>
        <label>
          Current password
          <SettingsPasswordField name="current_password" shown={show} autocomplete="current-password" required value={current} onValue={setCurrent} />
        </label>
        <label>
          New password
          <SettingsPasswordField
            name="new_password"
            shown={show}
            autocomplete="new-password"
            required
            minLength={8}
            value={next}
            onValue={setNext}
            aria-describedby="settings-new-password-hint"
          />
          <span class="hint" id="settings-new-password-hint">
            At least 8 characters, not the current one.
          </span>
        </label>
        <label class="check">
          <input type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />
          Show passwords
        </label>
        <SettingsStatus outcome={outcome} testId="password-status" />
        <button type="submit" class="secondary" disabled={busy}>
          Change password
        </button>
      </form>
    </section>
  );
}
