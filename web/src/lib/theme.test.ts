import { describe, expect, it } from 'vitest';
import { THEMES, parseTheme } from './theme.js';

describe('a stored theme', () => {
  it('is light or dark when stored as such', () => {
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('dark')).toBe('dark');
  });

  it('is the system theme when absent or unknown', () => {
    expect(parseTheme(null)).toBe('system');
    expect(parseTheme('system')).toBe('system');
    expect(parseTheme('Dark')).toBe('system');
    expect(parseTheme('')).toBe('system');
  });

  it('offers system, light and dark, in that order', () => {
    expect(THEMES).toEqual(['system', 'light', 'dark']);
  });
});
