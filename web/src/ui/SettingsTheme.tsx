// The colour theme, kept in this browser: applied at once, no save button.
import { useState } from 'preact/hooks';
import { type Theme, THEMES, setTheme, storedTheme } from '../lib/theme.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';

const LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function SettingsTheme() {
  const [theme, setChosen] = useState<Theme>(storedTheme);
  const { outcome, setOutcome } = useAction();

  function choose(next: Theme) {
    setTheme(next);
    setChosen(next);
    setOutcome({ ok: true, text: next === 'system' ? 'Theme follows this device’s setting.' : `${LABELS[next]} theme on in this browser.` });
  }

  return (
    <section class="panel settings-section" aria-labelledby="settings-theme">
      <h2 id="settings-theme">Appearance</h2>
      <fieldset class="settings-choice">
        <legend>Theme</legend>
        {THEMES.map((value) => (
          <label key={value} class="check">
            <input type="radio" name="theme" value={value} checked={theme === value} onChange={() => choose(value)} />
            {LABELS[value]}
          </label>
        ))}
      </fieldset>
      <p class="hint">Kept in this browser only.</p>
      <SettingsStatus outcome={outcome} />
    </section>
  );
}
