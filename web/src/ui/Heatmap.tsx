// Twelve weeks of focus, a column a week (the user's first day of the week on top), month names above
// the columns where a month begins. A frozen day (a streak freeze covered it) is striped, apart from
// days with focus and empty days; the legend says which is which, and each day has a text alternative.
import type { DayProgress } from '../api/types.js';
import { duration } from '../lib/format.js';
import { type WeekStart, WEEKS, dayLabel, heatColumns, heatLevel, weekdayLabels } from '../lib/summary.js';

function dayText(day: DayProgress): string {
  if (day.frozen) return `${dayLabel(day.date)}: frozen, a streak freeze kept the streak`;
  const sessions = `${day.sessions_completed} ${day.sessions_completed === 1 ? 'session' : 'sessions'}`;
  return `${dayLabel(day.date)}: ${duration(day.focus_seconds)}, ${sessions}`;
}

export function Heatmap({ days, today, weekStart }: { days: DayProgress[]; today: string; weekStart: WeekStart }) {
  const columns = heatColumns(days, today, weekStart);
  const shown = columns.flatMap((c) => c.days).filter((d): d is DayProgress => d !== null);
  const total = shown.reduce((sum, d) => sum + d.focus_seconds, 0);
  const active = shown.filter((d) => d.focus_seconds > 0).length;
  const frozen = shown.filter((d) => d.frozen).length;
  const summary =
    `Focus over the last ${WEEKS} weeks: ${duration(total)} on ${active} ${active === 1 ? 'day' : 'days'}` +
    (frozen > 0 ? `; ${frozen} frozen ${frozen === 1 ? 'day' : 'days'}` : '');
  return (
    <figure class="heatmap-wrap">
      <div class="heat-grid" role="group" aria-label={summary} data-testid="heatmap">
        <span class="heat-corner" aria-hidden="true" />
        {columns.map((column, i) => (
          <span key={`m${i}`} class="heat-month" aria-hidden="true" style={{ gridColumn: i + 2 }}>
            {column.month ?? ''}
          </span>
        ))}
        {weekdayLabels(weekStart).map((label, row) => (
          <span key={label} class="heat-label" aria-hidden="true" style={{ gridRow: row + 2 }}>
            {row % 2 === 0 ? label : ''}
          </span>
        ))}
        {columns.flatMap((column, i) =>
          column.days.map((day, row) =>
            day ? (
              <span
                key={day.date}
                class={`cell ${day.frozen ? 'frozen' : `l${heatLevel(day.focus_seconds)}`}`}
                style={{ gridColumn: i + 2, gridRow: row + 2 }}
                role="img"
                aria-label={dayText(day)}
                title={dayText(day)}
                data-date={day.date}
                data-frozen={day.frozen ? 'yes' : undefined}
              />
            ) : (
              <span key={`pad${i}-${row}`} class="cell pad" style={{ gridColumn: i + 2, gridRow: row + 2 }} aria-hidden="true" />
            ),
          ),
        )}
      </div>
      <figcaption class="legend muted small">
        <span aria-hidden="true" class="legend-scale">
          Less <span class="cell l0" /> <span class="cell l1" /> <span class="cell l2" /> <span class="cell l3" /> <span class="cell l4" /> More
        </span>
        <span class="legend-frozen">
          <span class="cell frozen" aria-hidden="true" /> Frozen: a streak freeze covered a missed day
        </span>
      </figcaption>
    </figure>
  );
}
