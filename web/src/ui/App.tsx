// The shell: routes (#/ timer, #/progress, #/settings, and #/reset?token= signed in or not), the sign-in
// gate, header with navigation, offline banner. Each screen moves focus to its own heading when it opens.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { User } from '../api/types.js';
import { loadUser } from '../lib/account.js';
import { isSignedIn, onAuthChange, signOut } from '../lib/auth.js';
import { flush, focusState, load, resetFocus, subscribe } from '../lib/focus.js';
import { AuthScreen } from './AuthScreen.js';
import { useStore } from './hooks.js';
import { ProgressScreen } from './ProgressScreen.js';
import { ResetScreen } from './ResetScreen.js';
import { SettingsScreen } from './SettingsScreen.js';
import { TimerScreen } from './TimerScreen.js';

type Route = { name: 'timer' | 'progress' | 'settings' } | { name: 'reset'; token: string | null };

function currentRoute(): Route {
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  if (path === '/progress') return { name: 'progress' };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/reset') return { name: 'reset', token: new URLSearchParams(query).get('token') };
  return { name: 'timer' };
}

const TABS = [
  { name: 'timer', href: '#/', label: 'Timer' },
  { name: 'progress', href: '#/progress', label: 'Progress' },
  { name: 'settings', href: '#/settings', label: 'Settings' },
] as const;

/** Signs this browser out: queued changes are sent first, then nothing of the user stays behind. */
async function leave(): Promise<void> {
  await flush();
  await signOut();
  resetFocus();
}

export function App() {
  const [signedIn, setSignedIn] = useState(isSignedIn());
  // Counts sign-ins and sign-outs, so that one login replacing another (a reset link opened while
  // signed in) still reloads the user even if both changes land in one render.
  const [logins, setLogins] = useState(0);
  const [route, setRoute] = useState<Route>(currentRoute());
  const [user, setUser] = useState<User | null>(null);
  const [authNotice, setAuthNotice] = useState<string | null>(null);
  const focus = useStore(focusState, subscribe);

  useEffect(
    () =>
      onAuthChange((now) => {
        // Signed out here, in another tab, or the login was revoked: nothing of it stays behind.
        if (!now) {
          setUser(null);
          resetFocus();
        } else setAuthNotice(null);
        setSignedIn(now);
        setLogins((n) => n + 1);
      }),
    [],
  );
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (!signedIn) {
      // What a previous login left in this browser (signed out while closed) goes too.
      resetFocus();
      return;
    }
    void load();
    void loadUser().then(setUser);
  }, [signedIn, logins]);

  const onSignOut = useCallback(async () => {
    await leave();
    location.hash = '';
  }, []);

  const onDeleted = useCallback(() => {
    setAuthNotice('Your account and all of its data were deleted.');
    location.hash = '';
  }, []);

  if (route.name === 'reset') {
    // The token stays out of the history: the timer replaces the link's entry.
    return <ResetScreen key={route.token} token={route.token} leave={signedIn ? leave : undefined} onDone={() => location.replace('#/')} />;
  }
  if (!signedIn) return <AuthScreen notice={authNotice} />;

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true" />
          <span class="brand-word">Focus</span>
        </a>
        <nav aria-label="Main">
          {TABS.map((tab) => (
            <a key={tab.name} href={tab.href} class="tab" aria-current={route.name === tab.name ? 'page' : undefined}>
              {tab.label}
            </a>
          ))}
        </nav>
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {(!focus.online || focus.queued > 0) && (
        <p class={`banner ${focus.online ? 'syncing' : 'offline'}`} role="status" data-testid="sync-banner">
          {focus.online ? 'Syncing' : 'Offline'}
          {focus.queued > 0
            ? ` · ${focus.queued} ${focus.queued === 1 ? 'change' : 'changes'} waiting to be sent`
            : ' · the timer keeps running; changes are sent when you are back'}
        </p>
      )}
      <main id="main">
        {route.name === 'settings' ? (
          <SettingsScreen user={user} onUser={setUser} onDeleted={onDeleted} />
        ) : route.name === 'progress' ? (
          <ProgressScreen user={user} />
        ) : (
          <TimerScreen user={user} />
        )}
      </main>
    </div>
  );
}
