// The page a reset email links to (#/reset?token=...): choose a new password, be signed in, go to the
// timer. A used or expired link says so and offers to send a new one.
import { useMemo, useState } from 'preact/hooks';
import { confirmPasswordReset } from '../lib/account.js';
import { newKey } from '../lib/ids.js';
import { useScreenHeading } from './hooks.js';
import { ResetRequest } from './ResetRequest.js';
import { SettingsPasswordField } from './SettingsPasswordField.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';
import './settings.css';

const INVALID = 'This reset link has already been used, has expired (links work for 30 minutes) or was replaced by a newer one. Ask for a new link below.';

interface Props {
  token: string | null;
  /** Signs out a login already open in this browser before the new one is kept. */
  leave?: () => Promise<void>;
  onDone: () => void;
}

export function ResetScreen({ token, leave, onDone }: Props) {
  const [requesting, setRequesting] = useState<string | null>(token ? null : 'This reset link is incomplete: open the whole link from the email, or ask for a new one.');
  if (requesting !== null) return <ResetRequest email="" intro={requesting} onBack={() => onDone()} />;
  return <ResetForm token={token ?? ''} leave={leave} onDone={onDone} onInvalid={() => setRequesting(INVALID)} />;
}

function ResetForm({ token, leave, onDone, onInvalid }: { token: string; leave: Props['leave']; onDone: () => void; onInvalid: () => void }) {
  const heading = useScreenHeading('Choose a new password');
  // One key per link: a confirm whose answer was lost is retried with it and gets the same sign-in back.
  const key = useMemo(newKey, [token]);
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const { outcome, busy, run } = useAction();

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const answer = await confirmPasswordReset(token, password, key, leave);
      if (answer === 'signed-in') onDone();
      else if (answer === 'token-invalid') onInvalid();
      else return { ok: false, text: answer.message };
      return null;
    });
  }

  return (
    <main class="auth">
      <div class="auth-card">
        <h1 ref={heading} tabIndex={-1}>
          Choose a new password
        </h1>
        <form onSubmit={submit} class="stack">
          <label>
            New password
            <SettingsPasswordField name="new_password" shown={show} autocomplete="new-password" required minLength={8} value={password} onValue={setPassword} aria-describedby="reset-hint" />
            <span class="hint" id="reset-hint">
              At least 8 characters. Every other device is signed out.
            </span>
          </label>
          <label class="check">
            <input type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />
            Show password
          </label>
          <SettingsStatus outcome={outcome} />
          <button type="submit" class="primary" disabled={busy}>
            Set password and sign in
          </button>
        </form>
      </div>
    </main>
  );
}
