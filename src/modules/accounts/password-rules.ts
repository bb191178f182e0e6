// Pure rules for passwords (contract sections 2 and 16): their length, what a new one may not be,
// and the timing of reset tokens and their mail. `now` is always an argument.
import { codePointLength } from '../../text-fields.js';

/** Section 2: 8 to 128 characters, counted in code points (as the request schemas count them). */
export const PASSWORD_LENGTH = { minLength: 8, maxLength: 128 } as const;

/** A reset token works for 30 minutes after its mail was sent. */
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;
/** At most one reset mail per account in this long. */
export const RESET_MAIL_INTERVAL_MS = 5 * 60 * 1000;
/**
 * A used or expired token is kept as long as an idempotent answer is (24 hours, src/plugins/
 * idempotency.ts): a retried confirm finds through it whose stored answer to replay.
 */
export const RESET_KEPT_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

/** Why `next` cannot replace `current`, or null when it can. */
export function newPasswordProblem(current: string, next: string): string | null {
  const length = codePointLength(next);
  if (length < PASSWORD_LENGTH.minLength || length > PASSWORD_LENGTH.maxLength) {
    return `must be ${PASSWORD_LENGTH.minLength} to ${PASSWORD_LENGTH.maxLength} characters`;
  }
  if (next === current) return 'must differ from the current password';
  return null;
}

/**
 * Whether a new reset mail may go to an account whose last one was created at `lastSentAt`.
 * Stored timestamps are whole seconds (rounded down), so the last one may be up to a second later
 * than written: that second is waited too, and no two mails are ever less than 5 minutes apart.
 */
export function mayMailResetAgain(lastSentAt: string | undefined, now: Date): boolean {
  if (lastSentAt === undefined) return true;
  return now.getTime() >= Date.parse(lastSentAt) + 1000 + RESET_MAIL_INTERVAL_MS;
}

/** PASSWORD_RESET_URL with every `{token}` replaced by the token. */
export function resetLink(template: string, token: string): string {
  return template.replaceAll('{token}', encodeURIComponent(token));
}

export function resetMailText(link: string): string {
  const minutes = RESET_TOKEN_TTL_MS / 60_000;
  return [
    'Someone, probably you, asked to reset the password of your Focus account.',
    '',
    `To choose a new password, open this link within ${minutes} minutes (it works once):`,
    '',
    link,
    '',
    'If you did not ask for this, ignore this mail: your password stays as it is.',
    '',
  ].join('\n');
}
