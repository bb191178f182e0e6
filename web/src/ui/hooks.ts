// Small hooks: subscribe to a module store; re-render on a timer.
import { useEffect, useState } from 'preact/hooks';

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
