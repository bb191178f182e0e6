// The period's focus per day as bars over a time axis ("30 min", "1 h", …) with the daily goal as a
// dashed line. An empty day is a thin mark on the baseline, not a grey track. The drawing is hidden
// from assistive technology; a visually hidden table says the same in words.
import type { Summary } from '../api/types.js';
import { duration, shortWeekday } from '../lib/format.js';
import { barLabel, chartScale, dayLabel } from '../lib/summary.js';

export function SummaryBars({ summary, today }: { summary: Summary; today: string }) {
  const days = summary.by_day;
  const goal = days.at(-1)?.goal_seconds ?? 0;
  const { top, ticks } = chartScale(Math.max(0, ...days.map((d) => d.focus_seconds)), goal);
  const at = (seconds: number) => `${(seconds / top) * 100}%`;
  return (
    <figure class="day-chart">
      <div class="day-chart-draw" aria-hidden="true" style={{ '--days': days.length }}>
        <div class="day-axis">
          {ticks.map((t) => (
            <span key={t} style={{ bottom: at(t) }}>
              {duration(t)}
            </span>
          ))}
        </div>
        <div class="day-plot" data-testid="summary-bars">
          {ticks.map((t) => (
            <span key={t} class="day-grid" style={{ bottom: at(t) }} />
          ))}
          {goal > 0 && (
            <span class="day-goal" style={{ bottom: at(goal) }}>
              <span>Goal</span>
            </span>
          )}
          {days.map((d) => (
            <span key={d.date} class="day-slot" title={`${dayLabel(d.date)}: ${duration(d.focus_seconds)}`}>
              {d.focus_seconds > 0 ? (
                <span class={`day-bar ${d.date === today ? 'today' : ''}`} style={{ height: at(d.focus_seconds) }} />
              ) : (
                <span class={`day-empty ${d.frozen ? 'frozen' : ''}`} />
              )}
            </span>
          ))}
        </div>
        <div class="day-labels">
          {days.map((d) => (
            <span key={d.date}>{barLabel(d.date, summary.period, shortWeekday(d.date))}</span>
          ))}
        </div>
      </div>
      <div class="visually-hidden">
        <table data-testid="summary-days">
          <caption>Focus per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Focus</th>
              <th scope="col">Sessions</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <th scope="row">{dayLabel(d.date)}</th>
                <td>
                  {duration(d.focus_seconds)}
                  {d.goal_met ? ', goal met' : ''}
                  {d.frozen ? ', frozen by a streak freeze' : ''}
                </td>
                <td>{d.sessions_completed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
