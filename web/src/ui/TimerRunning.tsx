// A session in progress: the ring and countdown (the true time left), its tag and note, pause/resume, give up.
import { useEffect, useRef, useState } from 'preact/hooks';
import { end, now, pause, resume } from '../lib/focus.js';
import { clock, duration } from '../lib/format.js';
import { type TimerState, elapsedAt, remainingAt } from '../lib/timer.js';
import './timer.css';

const R = 108;
const C = 2 * Math.PI * R;

export function TimerRunning({ timer }: { timer: TimerState }) {
  const [confirming, setConfirming] = useState(false);
  // Keyboard users keep their place: focus moves into the confirmation and back out of it.
  const keepGoingRef = useRef<HTMLButtonElement>(null);
  const giveUpRef = useRef<HTMLButtonElement>(null);
  const mainRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    // Just locked in (the Lock-in button is gone): the keyboard lands on Pause, not the page body.
    if (document.activeElement === document.body || document.activeElement === null) mainRef.current?.focus();
  }, []);
  useEffect(() => {
    if (confirming) keepGoingRef.current?.focus();
    else if (wasConfirming.current) giveUpRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const at = now();
  const remaining = remainingAt(timer, at);
  const fraction = timer.durationSeconds > 0 ? elapsedAt(timer, at) / timer.durationSeconds : 0;
  const paused = timer.status === 'paused';

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
      {(timer.tag || timer.note) && (
        <div class="timer-label" data-testid="session-label">
          {timer.tag && (
            <span class="timer-tag">
              <span class="tag-dot" style={{ background: timer.tag.color }} aria-hidden="true" />
              {timer.tag.name}
            </span>
          )}
          {timer.note && <p class="timer-note">{timer.note}</p>}
        </div>
      )}
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
          <button type="button" class="primary wide" onClick={paused ? resume : pause} ref={mainRef}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" class="ghost" onClick={() => setConfirming(true)} ref={giveUpRef}>
            Give up
          </button>
        </div>
      )}
    </div>
  );
}
