// Small hooks: subscribe to a module store; re-render on a timer; a screen's title and heading focus.
import { useEffect, useRef, useState } from 'preact/hooks';

export function useStore<T>(read: () => T, subscribe: (listener: () => void) => () => void): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    setValue(read);
    return subscribe(() => setValue(read));
  }, [read, subscribe]);
  return value;
}

/** Calls `onTick` and re-renders every `ms` while `active`. */
export function useTicker(active: boolean, ms: number, onTick: () => void): void {
  const [, setCount] = useState(0);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      onTick();
      setCount((c) => c + 1);
    }, ms);
    return () => clearInterval(id);
  }, [active, ms, onTick]);
}

/**
 * Every screen: its own document title (`<title> · Focus`), and keyboard focus moved to its heading when
 * it opens, so focus never falls to the page body. Put the ref on the screen's <h1 tabIndex={-1}>.
 */
export function useScreenHeading(title: string) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Focus`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return heading;
}
