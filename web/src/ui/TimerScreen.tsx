// The timer: pick a duration, Lock-in, a countdown that runs in the browser, pause/resume, give up.
// The session completes by itself when the countdown reaches zero.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { User } from '../api/types.js';
import { dismissResult, end, focusState, markCelebrated, pause, refreshHome, resume, start, subscribe, tick } from '../lib/focus.js';
import { clock, duration } from '../lib/format.js';
import { elapsedAt, remainingAt } from '../lib/timer.js';
import { BadgeIcon } from './badges.js';
import { useStore, useTicker } from './hooks.js';

const PRESETS = [25, 45, 60] as const;
const CHOICE_KEY = 'focus.duration';

function savedChoice(): { preset: number | 'custom'; custom: string } {
  try {
    const saved = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') as { preset: number | 'custom'; custom: string } | null;
    if (saved) return saved;
  } catch {
    // fall through
  }
  return { preset: 25, custom: '90' };
}

export function TimerScreen({ user }: { user: User | null }) {
  const focus = useStore(focusState, subscribe);
  const home = focus.home;
  useEffect(() => {
    // Back from another screen: the figures may have moved (another tab or device). At start-up the
    // store's own load brings them.
    if (focusState().loaded) void refreshHome();
  }, []);

  return (
    <section class="timer-screen" aria-labelledby="timer-heading">
      <h1 id="timer-heading" class="visually-hidden">
        Focus timer
      </h1>
      {focus.timer ? <Running /> : !focus.result && <Picker disabled={!focus.loaded || focus.busy} />}
      {focus.notice && (
        <p class="notice" role="alert">
          {focus.notice}
        </p>
      )}
      {focus.result && <ResultPanel />}
      {home && !focus.timer && (
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

function Picker({ disabled }: { disabled: boolean }) {
  const [choice, setChoice] = useState(savedChoice);
  const customMinutes = Number(choice.custom);
  const customValid = /^\d+$/.test(choice.custom.trim()) && customMinutes >= 1 && customMinutes <= 1440;
  const minutes = choice.preset === 'custom' ? customMinutes : choice.preset;
  const valid = choice.preset !== 'custom' || customValid;

  function choose(next: typeof choice) {
    setChoice(next);
    localStorage.setItem(CHOICE_KEY, JSON.stringify(next));
  }

  return (
    <form
      class="picker"
      onSubmit={(event) => {
        event.preventDefault();
        // The contract's duration_seconds starts at 60: the custom range 1..1440 minutes maps onto it.
        if (valid) void start(minutes * 60);
      }}
    >
      <fieldset>
        <legend>How long?</legend>
        <div class="chips">
          {PRESETS.map((preset) => (
            <label class="chip" key={preset}>
              <input type="radio" name="duration" value={preset} checked={choice.preset === preset} onChange={() => choose({ ...choice, preset })} />
              <span>{preset} min</span>
            </label>
          ))}
          <label class="chip">
            <input type="radio" name="duration" value="custom" checked={choice.preset === 'custom'} onChange={() => choose({ ...choice, preset: 'custom' })} />
            <span>Custom</span>
          </label>
        </div>
        {choice.preset === 'custom' && (
          <label class="custom">
            Minutes (1 to 1440)
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={1440}
              step={1}
              required
              value={choice.custom}
              aria-invalid={!customValid}
              aria-describedby="custom-hint"
              onInput={(e) => choose({ ...choice, custom: e.currentTarget.value })}
            />
            <span id="custom-hint" class={customValid ? 'hint' : 'error'}>
              {customValid ? `${clock(customMinutes * 60)} of focus` : 'Enter whole minutes from 1 to 1440.'}
            </span>
          </label>
        )}
      </fieldset>
      <button type="submit" class="lock-in" disabled={disabled || !valid}>
        <span class="lock-in-label">Lock-in</span>
        <span class="lock-in-sub">{valid ? `${minutes} min` : '—'}</span>
      </button>
    </form>
  );
}

function Running() {
  const focus = useStore(focusState, subscribe);
  const timer = focus.timer!;
  const [confirming, setConfirming] = useState(false);
  const onTick = useCallback(() => tick(), []);
  useTicker(timer.status === 'active', 250, onTick);
  // Keyboard users keep their place: focus moves into the confirmation and back out of it.
  const keepGoingRef = useRef<HTMLButtonElement>(null);
  const giveUpRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) keepGoingRef.current?.focus();
    else if (wasConfirming.current) giveUpRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const now = Date.now();
  const remaining = remainingAt(timer, now);
  const fraction = timer.durationSeconds > 0 ? elapsedAt(timer, now) / timer.durationSeconds : 0;
  const paused = timer.status === 'paused';
  const R = 108;
  const C = 2 * Math.PI * R;

  return (
    <div class="running">
      <div class={`ring ${paused ? 'is-paused' : ''}`}>
        <svg viewBox="0 0 240 240" aria-hidden="true">
          <circle class="ring-track" cx="120" cy="120" r={R} />
          <circle class="ring-fill" cx="120" cy="120" r={R} stroke-dasharray={C} stroke-dashoffset={C * (1 - fraction)} />
        </svg>
        <div class="ring-center">
          <p class="countdown" role="timer" aria-label={`${clock(remaining)} remaining`} data-testid="countdown">
            {clock(remaining)}
          </p>
          <p class="state" aria-live="polite" data-testid="timer-state">
            {paused ? 'Paused' : 'Locked in'}
          </p>
          <p class="muted small">of {duration(timer.durationSeconds)}</p>
        </div>
      </div>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="confirm-text">
          <p id="confirm-text">Give up now? This session will be recorded as abandoned and will not count toward your streak.</p>
          <div class="row">
            <button type="button" class="secondary" onClick={() => setConfirming(false)} ref={keepGoingRef}>
              Keep going
            </button>
            <button
              type="button"
              class="danger"
              onClick={() => {
                setConfirming(false);
                end('abandoned');
              }}
            >
              Give up
            </button>
          </div>
        </div>
      ) : (
        <div class="row controls">
          {paused ? (
            <button type="button" class="primary wide" onClick={resume}>
              Resume
            </button>
          ) : (
            <button type="button" class="primary wide" onClick={pause}>
              Pause
            </button>
          )}
          <button type="button" class="ghost" onClick={() => setConfirming(true)} ref={giveUpRef}>
            Give up
          </button>
        </div>
      )}
    </div>
  );
}

function ResultPanel() {
  const focus = useStore(focusState, subscribe);
  const result = focus.result!;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const badges = result.rewards?.badges_awarded ?? [];

  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The timer controls just disappeared: put focus on the outcome instead of losing it.
    if (document.activeElement === document.body || document.activeElement === null) headingRef.current?.focus();
  }, []);
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && badges.length > 0 && !result.celebrated && !dialog.open) {
      dialog.showModal();
      markCelebrated();
    }
  }, [badges.length, result.celebrated]);

  const completed = result.status === 'completed';
  return (
    <div class={`result ${completed ? 'good' : ''}`} role="status" data-testid="result">
      <p class="result-mark" aria-hidden="true">
        {completed ? '✓' : '–'}
      </p>
      <h2 tabIndex={-1} ref={headingRef}>
        {completed ? 'Session complete' : 'Session ended early'}
      </h2>
      <p>
        {completed
          ? `${duration(result.elapsedSeconds)} of focus. Well done.`
          : `${duration(result.elapsedSeconds)} recorded. Abandoned sessions do not count toward streaks or badges.`}
      </p>
      {result.pending ? (
        <p class="muted small">Saved on this device; it is sent as soon as the network is back.</p>
      ) : (
        completed &&
        result.rewards && (
          <p class="muted small">
            Today {duration(result.rewards.daily_progress.focus_seconds)} · streak {result.rewards.streak.current_streak}{' '}
            {result.rewards.streak.current_streak === 1 ? 'day' : 'days'}
          </p>
        )
      )}
      <button
        type="button"
        class="primary"
        onClick={() => {
          dismissResult();
          // The picker comes back on the next render: put the keyboard on Lock-in.
          setTimeout(() => document.querySelector<HTMLButtonElement>('.lock-in')?.focus(), 0);
        }}
      >
        Start another
      </button>
      <dialog ref={dialogRef} class="celebrate" aria-labelledby="celebrate-title" data-testid="celebration">
        <p class="confetti" aria-hidden="true">
          ✦ ✧ ✦
        </p>
        <h2 id="celebrate-title">{badges.length === 1 ? 'New badge!' : `${badges.length} new badges!`}</h2>
        <ul class="celebrate-list">
          {badges.map((badge) => (
            <li key={badge.code}>
              <BadgeIcon type={badge.criteria.type} earned />
              <div>
                <strong>{badge.name}</strong>
                <p class="muted small">{badge.description}</p>
              </div>
            </li>
          ))}
        </ul>
        <form method="dialog">
          <button type="submit" class="primary" autoFocus>
            Nice!
          </button>
        </form>
      </dialog>
    </div>
  );
}
