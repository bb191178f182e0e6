// The outcome card after a session: completed or ended early, whether it still waits to be sent, and the
// new badges once. Today's totals are the line under it (TimerScreen), not repeated here.
import { useEffect, useRef } from 'preact/hooks';
import { type SessionResult, dismissResult, markCelebrated } from '../lib/focus.js';
import { duration } from '../lib/format.js';
import { BadgeIcon } from './badges.js';

export function TimerResult({ result }: { result: SessionResult }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const badges = result.rewards?.badges_awarded ?? [];

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
      {result.pending && <p class="muted small">Saved on this device; it is sent as soon as the network is back.</p>}
      {/* The picker comes back in its place and puts the keyboard on Lock-in. */}
      <button type="button" class="primary" onClick={dismissResult}>
        Start another
      </button>
      <dialog
        ref={dialogRef}
        class="celebrate"
        aria-labelledby="celebrate-title"
        data-testid="celebration"
        onClose={() => {
          // Back from the modal: the keyboard stays on the card rather than the page body.
          if (document.activeElement === document.body || document.activeElement === null) headingRef.current?.focus();
        }}
      >
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
