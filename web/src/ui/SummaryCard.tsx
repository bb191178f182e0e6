// The week or month at a glance (GET /summary): a week/month switch, the periods before and after, the
// totals, the comparison with the period before, the bars per day and the breakdown by tag. The week
// starts on the user's week_starts_on: the server decides the period's days.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Summary } from '../api/types.js';
import { duration } from '../lib/format.js';
import { loadSummary, unavailableMessage } from '../lib/progress.js';
import { type Period, comparison, dayLabel, neighbour, periodTitle, rangeLabel } from '../lib/summary.js';
import { SummaryBars } from './SummaryBars.js';
import { SummaryTags } from './SummaryTags.js';

interface Props {
  today: string;
  /** This week's summary, loaded with the screen's other figures; null to load it here. */
  initial: Summary | null;
  /** Changes when something shown here changed elsewhere (a relabelled session): it reloads. */
  version: number;
}

export function SummaryCard({ today, initial, version }: Props) {
  const [period, setPeriod] = useState<Period>('week');
  const [date, setDate] = useState<string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(initial);
  const [busy, setBusy] = useState(!initial);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  // The week given at first is shown as it is: loading it again would only repeat the request.
  const given = useRef(initial !== null);

  useEffect(() => {
    if (given.current) {
      given.current = false;
      return;
    }
    let current = true;
    setBusy(true);
    setError(null);
    loadSummary(period, date)
      .then((loaded) => current && setSummary(loaded))
      .catch((failure: unknown) => current && setError(unavailableMessage(failure, 'The summary')))
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [period, date, version, retry]);

  const choose = (next: Period) => {
    setPeriod(next);
    setDate(null);
  };
  const unit = period === 'week' ? 'week' : 'month';
  const before = summary && neighbour(summary, -1, today);
  const after = summary && neighbour(summary, 1, today);
  const shown = summary?.period === period ? summary : null;

  return (
    <section class="panel summary" aria-labelledby="summary-heading" aria-busy={busy} data-testid="period-summary">
      <div class="summary-head">
        <h2 id="summary-heading">
          {shown ? periodTitle(shown, today) : period === 'week' ? 'This week' : 'This month'}
          {shown && <span class="muted small"> {rangeLabel(shown.from, shown.to)}</span>}
        </h2>
        <div class="segmented summary-switch" role="group" aria-label="Summary period">
          <button type="button" aria-pressed={period === 'week'} onClick={() => choose('week')}>
            Week
          </button>
          <button type="button" aria-pressed={period === 'month'} onClick={() => choose('month')}>
            Month
          </button>
        </div>
      </div>
      <div class="summary-nav">
        <button type="button" class="ghost" disabled={!before || busy} onClick={() => before && setDate(before)}>
          <span aria-hidden="true">‹ </span>Previous<span class="nav-unit"> {unit}</span>
        </button>
        <button type="button" class="ghost" disabled={!after || busy} onClick={() => after && setDate(after)}>
          Next<span class="nav-unit"> {unit}</span>
          <span aria-hidden="true"> ›</span>
        </button>
      </div>
      {error && (
        <div class="message error stack-sm" role="alert">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={() => setRetry(retry + 1)}>
            Try again
          </button>
        </div>
      )}
      {shown ? <SummaryBody summary={shown} today={today} /> : !error && <p class="muted">Loading the {unit}…</p>}
    </section>
  );
}

function SummaryBody({ summary, today }: { summary: Summary; today: string }) {
  const days = summary.by_day.length;
  const last = summary.period === 'week' ? 'last week' : 'last month';
  return (
    <>
      <dl class="summary-figures" data-testid="summary-figures">
        <div>
          <dt>Focus</dt>
          <dd data-testid="summary-focus">{duration(summary.focus_seconds)}</dd>
        </div>
        <div>
          <dt>Sessions</dt>
          <dd data-testid="summary-sessions">
            {summary.sessions_completed}
            {summary.sessions_abandoned > 0 && <span class="muted small"> + {summary.sessions_abandoned} given up</span>}
          </dd>
        </div>
        <div>
          <dt>Days active</dt>
          <dd data-testid="summary-days-active">
            {summary.days_active} of {days}
          </dd>
        </div>
        <div>
          <dt>Goal met</dt>
          <dd data-testid="summary-goal-days">
            {summary.goal_days_met} {summary.goal_days_met === 1 ? 'day' : 'days'}
          </dd>
        </div>
        <div>
          <dt>Best day</dt>
          <dd data-testid="summary-best-day">{summary.best_day ? `${dayLabel(summary.best_day.date)}, ${duration(summary.best_day.focus_seconds)}` : 'None yet'}</dd>
        </div>
      </dl>
      <p class="summary-compare" data-testid="summary-compare">
        <strong>{comparison(summary.focus_seconds, summary.previous.focus_seconds, summary.period)}</strong>
        {summary.previous.focus_seconds > 0 && (
          <span class="muted small">
            {' '}
            ({duration(summary.previous.focus_seconds)} {last})
          </span>
        )}
      </p>
      <SummaryBars summary={summary} today={today} />
      <SummaryTags byTag={summary.by_tag} total={summary.focus_seconds} />
    </>
  );
}
