import { describe, expect, it } from 'vitest';
import { RETENTION_MS } from '../../plugins/idempotency.js';
import { RESET_KEPT_AFTER_EXPIRY_MS, RESET_MAIL_INTERVAL_MS, mayMailResetAgain, newPasswordProblem, resetLink, resetMailText } from './password-rules.js';

describe('newPasswordProblem', () => {
  it('accepts 8 and 128 characters that differ from the current password', () => {
    expect(newPasswordProblem('old password', 'x'.repeat(8))).toBeNull();
    expect(newPasswordProblem('old password', 'x'.repeat(128))).toBeNull();
  });

  it('refuses 7 and 129 characters with the bounds in its message', () => {
    expect(newPasswordProblem('old password', 'x'.repeat(7))).toBe('must be 8 to 128 characters');
    expect(newPasswordProblem('old password', 'x'.repeat(129))).toBe('must be 8 to 128 characters');
  });

  it('counts code points, as the request schemas do', () => {
    expect(newPasswordProblem('old password', '😀'.repeat(8))).toBeNull();
    expect(newPasswordProblem('old password', '😀'.repeat(128))).toBeNull();
    expect(newPasswordProblem('old password', '😀'.repeat(7))).not.toBeNull();
  });

  it('refuses the current password, compared exactly', () => {
    expect(newPasswordProblem('old password', 'old password')).toBe('must differ from the current password');
    expect(newPasswordProblem('old password', 'Old password')).toBeNull();
  });
});

describe('mayMailResetAgain', () => {
  const sent = '2026-02-18T08:00:00Z';
  const after = (ms: number) => new Date(Date.parse(sent) + ms);

  it('allows the first mail', () => {
    expect(mayMailResetAgain(undefined, after(0))).toBe(true);
  });

  it('waits 5 minutes and the second the stored time may have dropped', () => {
    expect(mayMailResetAgain(sent, after(RESET_MAIL_INTERVAL_MS))).toBe(false);
    expect(mayMailResetAgain(sent, after(RESET_MAIL_INTERVAL_MS + 999))).toBe(false);
    expect(mayMailResetAgain(sent, after(RESET_MAIL_INTERVAL_MS + 1000))).toBe(true);
  });
});

describe('resetLink', () => {
  it('puts the token wherever {token} is', () => {
    expect(resetLink('https://app.example/#/reset?token={token}', 'fp_abc-_1')).toBe('https://app.example/#/reset?token=fp_abc-_1');
    expect(resetLink('https://x.example/{token}/?t={token}', 'fp_a')).toBe('https://x.example/fp_a/?t=fp_a');
  });
});

describe('resetMailText', () => {
  it('holds the link on a line of its own and says how long it works', () => {
    const text = resetMailText('https://app.example/#/reset?token=fp_abc');
    expect(text.split('\n')).toContain('https://app.example/#/reset?token=fp_abc');
    expect(text).toContain('30 minutes');
  });

  it('reads as four paragraphs: why it came, what to do, the link, what to do if it was not you', () => {
    const link = 'https://app.example/#/reset?token=fp_abc';
    expect(resetMailText(link).split('\n\n')).toEqual([
      'Someone, probably you, asked to reset the password of your Focus account.',
      'To choose a new password, open this link within 30 minutes (it works once):',
      link,
      'If you did not ask for this, ignore this mail: your password stays as it is.\n',
    ]);
  });
});

describe('RESET_KEPT_AFTER_EXPIRY_MS', () => {
  it('keeps a used or expired token as long as an idempotent answer, so a retried confirm finds whose answer to replay', () => {
    expect(RESET_KEPT_AFTER_EXPIRY_MS).toBe(RETENTION_MS);
  });
});
