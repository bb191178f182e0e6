// The shell: sign-in gate, header with navigation, offline banner, and the two screens.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { User } from '../api/types.js';
import { loadUser } from '../lib/account.js';
import { isSignedIn, onAuthChange, signOut } from '../lib/auth.js';
import { flush, focusState, load, resetFocus, subscribe } from '../lib/focus.js';
import { AuthScreen } from './AuthScreen.js';
import { useStore } from './hooks.js';
import { ProgressScreen } from './ProgressScreen.js';
import { TimerScreen } from './TimerScreen.js';

type Route = 'timer' | 'progress';

function currentRoute(): Route {
  return location.hash === '#/progress' ? 'progress' : 'timer';
}

export function App() {
  const [signedIn, setSignedIn] = useState(isSignedIn());
  const [route, setRoute] = useState<Route>(currentRoute());
  const [user, setUser] = useState<User | null>(null);
  const focus = useStore(focusState, subscribe);

  useEffect(() => onAuthChange(setSignedIn), []);
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (!signedIn) {
      // Signed out here, in another tab, or the login was revoked: nothing of it stays behind.
      setUser(null);
      resetFocus();
      return;
    }
    void load();
    void loadUser().then(setUser);
  }, [signedIn]);

  const onSignOut = useCallback(async () => {
    await flush();
    await signOut();
    resetFocus();
    location.hash = '';
  }, []);

  if (!signedIn) return <AuthScreen />;

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true" />
          <span class="brand-word">Focus</span>
        </a>
        <nav aria-label="Main">
          <a href="#/" class="tab" aria-current={route === 'timer' ? 'page' : undefined}>
            Timer
          </a>
          <a href="#/progress" class="tab" aria-current={route === 'progress' ? 'page' : undefined}>
            Progress
          </a>
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
        {route === 'timer' ? <TimerScreen user={user} /> : <ProgressScreen user={user} />}
      </main>
    </div>
  );
}
