import { describe, expect, it } from 'vitest';
import { barLabel, chartScale, comparison, neighbour, periodTitle } from './summary.js';

describe('the summary in words', () => {
  it('compares a period with the one before in whole percent, or says there was nothing before', () => {
    expect(comparison(6000, 4800, 'week')).toBe('+25 % vs last week');
    expect(comparison(3000, 10500, 'week')).toBe('\u221271 % vs last week');
    expect(comparison(4801, 4800, 'month')).toBe('Same as last month');
    expect(comparison(1500, 0, 'month')).toBe('Up from nothing last month');
    expect(comparison(0, 0, 'week')).toBe('No focus last week either');
    expect(comparison(0, 1500, 'week')).toBe('\u2212100 % vs last week');
  });

  it('names the period after today: this, last, or its dates', () => {
    const week = (from: string, to: string) => ({ period: 'week' as const, from, to });
    const month = (from: string, to: string) => ({ period: 'month' as const, from, to });
    expect(periodTitle(week('2026-03-09', '2026-03-15'), '2026-03-10')).toBe('This week');
    expect(periodTitle(week('2026-03-02', '2026-03-08'), '2026-03-15')).toBe('Last week');
    expect(periodTitle(week('2026-02-23', '2026-03-01'), '2026-03-10')).toBe('Week of 23 Feb 2026');
    expect(periodTitle(month('2026-03-01', '2026-03-31'), '2026-03-31')).toBe('This month');
    expect(periodTitle(month('2026-02-01', '2026-02-28'), '2026-03-31')).toBe('Last month');
    expect(periodTitle(month('2026-01-01', '2026-01-31'), '2026-03-01')).toBe('January 2026');
    expect(periodTitle(month('2025-12-01', '2025-12-31'), '2026-01-05')).toBe('Last month');
  });

  it('goes back to the period before and forward no further than today', () => {
    const shown = { to: '2026-03-08', previous: { from: '2026-02-23', to: '2026-03-01', focus_seconds: 0, sessions_completed: 0 } };
    expect(neighbour(shown, -1, '2026-03-10')).toBe('2026-02-23');
    expect(neighbour(shown, 1, '2026-03-10')).toBe('2026-03-09');
    expect(neighbour(shown, 1, '2026-03-08')).toBeNull();
  });

  it('scales the bars to a round step, at most four gridlines, the goal included', () => {
    expect(chartScale(1500, 0)).toEqual({ top: 1800, ticks: [900, 1800] });
    expect(chartScale(0, 0)).toEqual({ top: 900, ticks: [900] });
    expect(chartScale(10500, 0)).toEqual({ top: 10800, ticks: [3600, 7200, 10800] });
    expect(chartScale(1500, 3000)).toEqual({ top: 3600, ticks: [900, 1800, 2700, 3600] });
    expect(chartScale(86400, 0)).toEqual({ top: 86400, ticks: [21600, 43200, 64800, 86400] });
  });

  it('labels every bar of a week and every seventh day of a month', () => {
    expect(barLabel('2026-03-10', 'week', 'Tue')).toBe('Tue');
    expect(['2026-03-01', '2026-03-02', '2026-03-08', '2026-03-29', '2026-03-31'].map((d) => barLabel(d, 'month', ''))).toEqual(['1', '', '8', '29', '']);
  });
});
