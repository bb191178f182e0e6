// Name, time zone, daily goal, default duration and week start: one form, saved with PATCH /users/me
// (only what changed). The saved user goes back to the app, so the timer preselects the new default.
import { useMemo, useState } from 'preact/hooks';
import type { User } from '../api/types.js';
import {
  DURATION_MAX_MINUTES,
  DURATION_MIN_MINUTES,
  GOAL_MAX_MINUTES,
  type SettingsForm,
  formFromUser,
  patchFrom,
  timeZones,
  updateMe,
} from '../lib/settings.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';

export function SettingsProfile({ user, onUser }: { user: User; onUser: (user: User) => void }) {
  const saved = useMemo(() => formFromUser(user), [user]);
  const [form, setForm] = useState<SettingsForm>(saved);
  const zones = useMemo(timeZones, []);
  const { outcome, busy, run } = useAction();
  const edit = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  function submit(event: Event) {
    event.preventDefault();
    const patch = patchFrom(saved, form);
    void run(async () => {
      if (!patch) return { ok: true, text: 'Nothing to save: no setting changed.' };
      const answer = await updateMe(patch);
      if (!answer.ok) return { ok: false, text: answer.message };
      onUser(answer.data);
      setForm(formFromUser(answer.data));
      return { ok: true, text: 'Settings saved.' };
    });
  }

  return (
    <section class="panel settings-section" aria-labelledby="settings-profile">
      <h2 id="settings-profile">Profile and goals</h2>
      <form class="stack" onSubmit={submit}>
        <label>
          Name
          <input name="display_name" autocomplete="nickname" maxLength={100} value={form.displayName} onInput={(e) => edit('displayName', e.currentTarget.value)} />
        </label>
        <label>
          Time zone
          <input
            name="timezone"
            list="settings-zones"
            autocomplete="off"
            spellcheck={false}
            required
            maxLength={64}
            value={form.timezone}
            onInput={(e) => edit('timezone', e.currentTarget.value)}
            aria-describedby="settings-zone-hint"
          />
          <span class="hint" id="settings-zone-hint">
            Type to search, e.g. “Berlin” or “New_York”. Your days, streak and goal are counted in this zone.
          </span>
        </label>
        <datalist id="settings-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <div class="settings-pair">
          <MinutesField
            label="Daily goal (minutes)"
            name="daily_goal"
            min={0}
            max={GOAL_MAX_MINUTES}
            value={form.goalMinutes}
            onInput={(value) => edit('goalMinutes', value)}
            hint="0 means no goal."
          />
          <MinutesField
            label="Default duration (minutes)"
            name="default_duration"
            min={DURATION_MIN_MINUTES}
            max={DURATION_MAX_MINUTES}
            value={form.durationMinutes}
            onInput={(value) => edit('durationMinutes', value)}
            hint="Preselected on the timer."
          />
        </div>
        <fieldset class="settings-choice">
          <legend>Week starts on</legend>
          {(['monday', 'sunday'] as const).map((day) => (
            <label key={day} class="check">
              <input type="radio" name="week_starts_on" value={day} checked={form.weekStartsOn === day} onChange={() => edit('weekStartsOn', day)} />
              {day === 'monday' ? 'Monday' : 'Sunday'}
            </label>
          ))}
        </fieldset>
        <SettingsStatus outcome={outcome} testId="profile-status" />
        <button type="submit" class="primary" disabled={busy}>
          Save settings
        </button>
      </form>
    </section>
  );
}

interface MinutesFieldProps {
  label: string;
  name: string;
  min: number;
  max: number;
  value: string;
  onInput: (value: string) => void;
  hint: string;
}

/** A whole number of minutes with its bounds and a hint under it. */
function MinutesField({ label, name, min, max, value, onInput, hint }: MinutesFieldProps) {
  const hintId = `settings-${name}-hint`;
  return (
    <label>
      {label}
      <input
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        required
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        aria-describedby={hintId}
      />
      <span class="hint" id={hintId}>
        {hint}
      </span>
    </label>
  );
}
