// The top of the progress screen: today's focus with the goal ring, today's sessions, and the streak
// (the longest one too) with the freezes held (contract 13: a freeze covers a missed day, one is earned every 7 days of streak).
import type { Stats, Streak } from '../api/types.js';
import { duration } from '../lib/format.js';
import { GoalRing } from './GoalRing.js';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

export function ProgressToday({ stats, streak }: { stats: Stats; streak: Streak }) {
  const { today } = stats;
  const freezes = streak.freezes_available;
  return (
    <div class="cards today-cards" data-testid="summary">
      <div class="card goal-card">
        <p class="card-value">{duration(today.focus_seconds)}</p>
        <p class="card-label">Focus today</p>
        <GoalRing focus={today.focus_seconds} goal={today.goal_seconds} met={today.goal_met} />
      </div>
      <div class="card">
        <p class="card-value">{today.sessions_completed}</p>
        <p class="card-label">Sessions today</p>
      </div>
      <div class="card accent">
        <p class="card-value">{days(streak.current_streak)}</p>
        <p class="card-label">Current streak</p>
        <p class="card-note" data-testid="freezes">
          <FreezeIcon />
          {freezes === 0 ? 'No freeze held' : `${freezes} ${freezes === 1 ? 'freeze' : 'freezes'} held`}
        </p>
        <p class="card-note">Longest: {days(streak.longest_streak)}</p>
      </div>
    </div>
  );
}

export function FreezeIcon() {
  return (
    <svg class="freeze-icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
      <path d="M12 2v20M3.3 7l17.4 10M3.3 17L20.7 7M9 4l3 2l3-2M9 20l3-2l3 2" />
    </svg>
  );
}
