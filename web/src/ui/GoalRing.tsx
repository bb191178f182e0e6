// Today's focus against the daily goal: a ring that fills up (complete, in the "good" colour, once the
// goal is met), or, with no goal set, a pointer to Settings where one is set.
import { duration } from '../lib/format.js';

const R = 26;
const CIRCUMFERENCE = 2 * Math.PI * R;

export function GoalRing({ focus, goal, met }: { focus: number; goal: number; met: boolean }) {
  if (goal <= 0)
    return (
      <p class="goal-line small" data-testid="goal">
        No daily goal set. <a href="#/settings">Set one in Settings</a>
      </p>
    );
  const share = Math.min(1, focus / goal);
  const pct = Math.round((focus / goal) * 100);
  const label = met ? `Goal of ${duration(goal)} met (${pct} %)` : `${pct} % of the ${duration(goal)} goal, ${duration(goal - focus)} to go`;
  return (
    <div class={`goal ${met ? 'met' : ''}`} data-testid="goal" data-met={met ? 'yes' : 'no'}>
      <svg class="goal-ring" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label={label}>
        <circle class="goal-track" cx="32" cy="32" r={R} />
        <circle
          class="goal-fill"
          cx="32"
          cy="32"
          r={R}
          stroke-dasharray={`${CIRCUMFERENCE * share} ${CIRCUMFERENCE}`}
          transform="rotate(-90 32 32)"
        />
        {met && <path class="goal-check" d="M22 33l7 7l13-15" />}
      </svg>
      <p class="goal-line small" aria-hidden="true">
        {met ? `Goal of ${duration(goal)} met` : `${pct} % of ${duration(goal)} goal`}
      </p>
    </div>
  );
}
