// The colour theme: system (follow the device), light or dark. Kept in this browser only and applied as
// <html data-theme="light|dark"> (no attribute for system: styles.css then follows prefers-color-scheme).
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const KEY = 'focus.theme';

/** What a stored value means; anything unknown (or nothing) is the system's theme. */
export function parseTheme(value: string | null): Theme {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function storedTheme(): Theme {
  try {
    return parseTheme(localStorage.getItem(KEY));
  } catch {
    return 'system';
  }
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

export function setTheme(theme: Theme): void {
  if (theme === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, theme);
  applyTheme(theme);
}

/** Applies the stored theme now and follows a change made in another tab. Call once, before the first render. */
export function startTheme(): void {
  applyTheme(storedTheme());
  addEventListener('storage', (event) => {
    if (event.key === KEY || event.key === null) applyTheme(parseTheme(event.key === null ? null : event.newValue));
  });
}
