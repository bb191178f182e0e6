// The user's data as files (contract 15): everything as JSON, or the sessions as CSV for a spreadsheet.
import { type Export, downloadExport } from '../lib/download.js';
import { SettingsStatus, useAction } from './SettingsStatus.js';

export function SettingsExport() {
  const { outcome, busy, run } = useAction();
  const save = (kind: Export) =>
    run(async () => {
      const answer = await downloadExport(kind);
      return answer.ok ? { ok: true, text: `Downloaded ${answer.filename}.` } : { ok: false, text: answer.message };
    });

  return (
    <section class="panel settings-section" aria-labelledby="settings-export">
      <h2 id="settings-export">Your data</h2>
      <p class="muted">Download everything Focus keeps about you, or your sessions as a spreadsheet.</p>
      <div class="cluster">
        <button type="button" class="secondary" disabled={busy} onClick={() => void save('json')}>
          Export all (JSON)
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void save('csv')}>
          Export sessions (CSV)
        </button>
      </div>
      <SettingsStatus outcome={outcome} testId="export-status" />
    </section>
  );
}
