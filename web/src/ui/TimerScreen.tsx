// The timer: pick a duration (and a tag and note), Lock-in, a countdown that shows the true time left on
// every device, pause/resume, give up. The session completes by itself when the countdown reaches zero.
import { useEffect } from 'preact/hooks';
import type { User } from '../api/types.js';
import { focusState, now, refreshHome, subscribe } from '../lib/focus.js';
import { duration } from '../lib/format.js';
import { timerTitle } from '../lib/notify.js';
import { remainingAt } from '../lib/timer.js';
import { useScreenHeading, useStore, useTicker } from './hooks.js';
import { TimerPicker } from './TimerPicker.js';
import { TimerResult } from './TimerResult.js';
import { TimerRunning } from './TimerRunning.js';

const noop = () => undefined;

export function TimerScreen({ user }: { user: User | null }) {
  const focus = useStore(focusState, subscribe);
  const { home, timer, result } = focus;
  const running = timer?.status === 'active';
  // Redraw the countdown (and the tab title) while the session runs.
  useTicker(running, 250, noop);
  const title = timerTitle(running ? { remainingSeconds: remainingAt(timer, now()) } : result?.status === 'completed' ? 'done' : null);
  const heading = useScreenHeading(title);
  useEffect(() => {
    // Back from another screen: the figures may have moved (another tab or device). At start-up the
    // store's own load brings them.
    if (focusState().loaded) void refreshHome();
  }, []);

  return (
    <section class="timer-screen" aria-labelledby="timer-heading">
      <h1 id="timer-heading" class="visually-hidden" tabIndex={-1} ref={heading}>
        Focus timer
      </h1>
      {timer ? (
        <TimerRunning timer={timer} />
      ) : (
        !result && <TimerPicker disabled={!focus.loaded || focus.busy} defaultSeconds={user?.settings.default_duration_seconds} />
      )}
      {focus.notice && (
        <p class="notice" role="alert">
          {focus.notice}
        </p>
      )}
      {result && <TimerResult result={result} />}
      {home && !timer && (
        <p class="today-line" data-testid="today-line">
          {user?.display_name ? `${user.display_name}, today: ` : 'Today: '}
          <strong>{duration(home.today.focus_seconds)}</strong> of focus · {home.today.sessions_completed}{' '}
          {home.today.sessions_completed === 1 ? 'session' : 'sessions'} · streak <strong>{home.streak.current_streak}</strong>{' '}
          {home.streak.current_streak === 1 ? 'day' : 'days'}
        </p>
      )}
    </section>
  );
}
