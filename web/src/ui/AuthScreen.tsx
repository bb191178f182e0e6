// Sign up / log in, and "Forgot password?". Registration sends the browser's IANA time zone, so "today"
// is the user's today.
import { useState } from 'preact/hooks';
import { logIn, register } from '../lib/account.js';
import { useScreenHeading } from './hooks.js';
import { ResetRequest } from './ResetRequest.js';

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

type Mode = 'register' | 'login';

/** `notice`: a line to show above the form (the account was just deleted). */
export function AuthScreen({ notice }: { notice?: string | null }) {
  const [view, setView] = useState<Mode | 'forgot'>('register');
  const [email, setEmail] = useState('');
  if (view === 'forgot') {
    // Back from "Forgot password?" is a log-in, with the address typed there.
    const back = (typed: string) => {
      setEmail(typed);
      setView('login');
    };
    return <ResetRequest email={email} onBack={back} />;
  }
  return <SignIn notice={notice} mode={view} setMode={setView} email={email} setEmail={setEmail} onForgot={() => setView('forgot')} />;
}

interface SignInProps {
  notice?: string | null | undefined;
  mode: Mode;
  setMode: (mode: Mode) => void;
  email: string;
  setEmail: (email: string) => void;
  onForgot: () => void;
}

function SignIn({ notice, mode, setMode, email, setEmail, onForgot }: SignInProps) {
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timezone = browserTimeZone();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const refused =
        mode === 'register'
          ? await register({ email, password, timezone, ...(name.trim() ? { display_name: name.trim() } : {}) })
          : await logIn({ email, password });
      if (refused) setError(refused);
    } catch {
      setError('Cannot reach the server. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  const registering = mode === 'register';
  const heading = useScreenHeading(registering ? 'Sign up' : 'Log in');
  return (
    <main class="auth">
      <div class="auth-card">
        <h1 class="brand big" ref={heading} tabIndex={-1}>
          <span class="brand-mark" aria-hidden="true" />
          Focus
        </h1>
        <p class="muted">One thing at a time. Lock in, finish, keep the streak.</p>
        {notice && (
          <p class="message" role="status">
            {notice}
          </p>
        )}
        <div class="segmented" role="group" aria-label="Account">
          <button type="button" aria-pressed={registering} onClick={() => setMode('register')}>
            Sign up
          </button>
          <button type="button" aria-pressed={!registering} onClick={() => setMode('login')}>
            Log in
          </button>
        </div>
        <form onSubmit={submit} class="stack">
          {registering && (
            <label>
              Name <span class="muted">(optional)</span>
              <input name="display_name" autocomplete="nickname" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={100} />
            </label>
          )}
          <label>
            Email
            <input name="email" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autocomplete={registering ? 'new-password' : 'current-password'}
              required
              minLength={registering ? 8 : 1}
              maxLength={128}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            {registering && <span class="hint">At least 8 characters.</span>}
          </label>
          {!registering && (
            <button type="button" class="link auth-forgot" onClick={onForgot}>
              Forgot password?
            </button>
          )}
          {registering && <p class="hint">Your days are counted in {timezone} (this browser's time zone).</p>}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {registering ? 'Create account' : 'Log in'}
          </button>
        </form>
      </div>
    </main>
  );
}
