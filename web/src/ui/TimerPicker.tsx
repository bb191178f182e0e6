// Before a session: how long (the user's default duration preselected), what for (tag and note), Lock-in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type SessionLabel, start } from '../lib/focus.js';
import { clock } from '../lib/format.js';
import { LockinLabel, noteProblem } from './LockinLabel.js';

const PRESETS = [1500, 2700, 3600];
const FALLBACK_DEFAULT = 1500;

/** "25 min", or "25:30" for a default duration that is not whole minutes. */
function choiceLabel(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : clock(seconds);
}

export function TimerPicker({ disabled, defaultSeconds }: { disabled: boolean; defaultSeconds: number | undefined }) {
  const preferred = defaultSeconds ?? FALLBACK_DEFAULT;
  const choices = PRESETS.includes(preferred) ? PRESETS : [...PRESETS, preferred].sort((a, b) => a - b);
  // null: follow the user's default (it arrives with the user, after the first render).
  const [picked, setPicked] = useState<number | 'custom' | null>(null);
  const [custom, setCustom] = useState('90');
  const [label, setLabel] = useState<SessionLabel>({ tagId: null, note: '' });
  const lockIn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    // Back from a result, or the running session ended elsewhere: the keyboard lands on Lock-in, not the page.
    if (document.activeElement === document.body || document.activeElement === null) lockIn.current?.focus();
  }, []);

  const selected = picked ?? preferred;
  const customMinutes = Number(custom);
  const customValid = /^\d+$/.test(custom.trim()) && customMinutes >= 1 && customMinutes <= 1440;
  const seconds = selected === 'custom' ? customMinutes * 60 : selected;
  const valid = (selected !== 'custom' || customValid) && noteProblem(label.note) === null;

  return (
    <form
      class="picker"
      onSubmit={(event) => {
        event.preventDefault();
        // The contract's duration_seconds starts at 60: the custom range 1..1440 minutes maps onto it.
        if (valid) void start(seconds, label);
      }}
    >
      <fieldset>
        <legend>How long?</legend>
        <div class="chips">
          {choices.map((choice) => (
            <label class="chip" key={choice}>
              <input type="radio" name="duration" value={choice} checked={selected === choice} onChange={() => setPicked(choice)} />
              <span>{choiceLabel(choice)}</span>
            </label>
          ))}
          <label class="chip">
            <input type="radio" name="duration" value="custom" checked={selected === 'custom'} onChange={() => setPicked('custom')} />
            <span>Custom</span>
          </label>
        </div>
        {selected === 'custom' && (
          <label class="custom">
            Minutes (1 to 1440)
            <input
              type="number"
              inputMode="numeric"
              min={1}
              max={1440}
              step={1}
              required
              value={custom}
              aria-invalid={!customValid}
              aria-describedby="custom-hint"
              onInput={(e) => setCustom(e.currentTarget.value)}
            />
            <span id="custom-hint" class={customValid ? 'hint' : 'error'}>
              {customValid ? `${clock(customMinutes * 60)} of focus` : 'Enter whole minutes from 1 to 1440.'}
            </span>
          </label>
        )}
      </fieldset>
      <LockinLabel value={label} onChange={setLabel} />
      <button type="submit" class="lock-in" disabled={disabled || !valid} ref={lockIn}>
        <span class="lock-in-label">Lock-in</span>
        <span class="lock-in-sub">{selected !== 'custom' || customValid ? choiceLabel(seconds) : '—'}</span>
      </button>
    </form>
  );
}
