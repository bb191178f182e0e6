// A password input that can be shown as plain text (the page's "Show password" toggle decides).
import type { PartialInputHTMLAttributes, TargetedInputEvent } from 'preact';

type Props = Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'type' | 'role' | 'value' | 'onInput'> & {
  shown: boolean;
  value: string;
  onValue: (value: string) => void;
};

export function SettingsPasswordField({ shown, value, onValue, ...rest }: Props) {
  const common = { ...rest, value, maxLength: 128, spellcheck: false, onInput: (e: TargetedInputEvent<HTMLInputElement>) => onValue(e.currentTarget.value) };
  // The same <input> element either way, so focus and caret stay where they are.
  return shown ? <input type="text" autocapitalize="off" {...common} /> : <input type="password" {...common} />;
}
