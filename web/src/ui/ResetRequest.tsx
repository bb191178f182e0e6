// "Forgot password?": asks the server to mail a reset link. The answer is the same whether or not an
// account has the address, so this says the same neutral thing either way.
import { useState } from 'preact/hooks';
import { requestPasswordReset } from '../lib/account.js';
import { useScreenHeading } from './hooks.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';
import './settings.css';

const SENT = 'If an account uses this email, a link to reset its password is on its way. It works once, for 30 minutes. Check your spam folder if it does not arrive.';
const NOT_CONFIGURED = 'This Focus server cannot send email, so it cannot reset passwords. Ask whoever runs it to set SMTP_URL, or to reset it for you.';

export function ResetRequest({ email: initial, intro, onBack }: { email: string; intro?: string; onBack: (email: string) => void }) {
  const heading = useScreenHeading('Reset password');
  const [email, setEmail] = useState(initial);
  const { outcome, busy, run } = useAction();
  const sent = outcome?.ok === true;

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const answer = await requestPasswordReset(email.trim());
      if (answer === 'sent') return { ok: true, text: SENT };
      return { ok: false, text: answer === 'not-configured' ? NOT_CONFIGURED : answer.message };
    });
  }

  return (
    <main class="auth">
      <div class="auth-card">
        <h1 ref={heading} tabIndex={-1}>
          Reset your password
        </h1>
        {intro && (
          <p class="notice" role="alert">
            {intro}
          </p>
        )}
        <form onSubmit={submit} class="stack">
          <p class="muted">We will email you a link to choose a new password.</p>
          <label>
            Email
            <input name="email" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <SettingsStatus outcome={outcome} />
          <button type="submit" class="primary" disabled={busy}>
            {sent ? 'Send again' : 'Send reset link'}
          </button>
          <button type="button" class="link" onClick={() => onBack(email.trim())}>
            Back to log in
          </button>
        </form>
      </div>
    </main>
  );
}
