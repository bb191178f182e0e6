// One settings action at a time per section: busy while it runs, then a success (role="status") or the
// server's message (role="alert"). A network failure is said plainly; a lost login leads to sign-in.
import { useCallback, useState } from 'preact/hooks';
import { SignedOut } from '../lib/auth.js';

export type Outcome = { ok: boolean; text: string } | null;

const OFFLINE = 'Cannot reach the server. Check your connection and try again.';

export function useAction() {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (work: () => Promise<Outcome>) => {
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await work());
    } catch (error) {
      // Signed out: the app shows the sign-in screen; nothing to say here.
      if (!(error instanceof SignedOut)) setOutcome({ ok: false, text: OFFLINE });
    } finally {
      setBusy(false);
    }
  }, []);
  return { outcome, busy, run, setOutcome };
}

/** The live region of a section: present from the start so screen readers announce what appears in it. */
export function SettingsStatus({ outcome, testId }: { outcome: Outcome; testId?: string }) {
  return (
    <div class="settings-status" data-testid={testId}>
      <p role="status" class={outcome?.ok ? 'message success' : undefined}>
        {outcome?.ok ? outcome.text : ''}
      </p>
      {outcome && !outcome.ok && (
        <p role="alert" class="message error">
          {outcome.text}
        </p>
      )}
    </div>
  );
}
