// How a person learns the session is over, even in another tab: a short chime made with Web Audio (no
// downloaded asset), a system notification, a vibration where supported, and the countdown in the tab
// title. Permission for notifications is asked once, at the first Lock-in (a click), never on page load.
import { clock } from './format.js';

const ASKED_KEY = 'focus.notificationsAsked';

interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): { onclick: ((event: Event) => unknown) | null; close(): void };
}

/** The browser features used here; each may be missing. Read from the page at call time by default. */
export interface AlertEnv {
  notification?: NotificationApi;
  vibrate?: (pattern: number[]) => boolean;
  /** An AudioContext that may play now (unlocked by a click), or none. */
  audio?: () => AudioContext | undefined;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

let audioContext: AudioContext | undefined;

function pageAudio(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  try {
    audioContext ??= new AudioContext();
    if (audioContext.state === 'suspended') void audioContext.resume().catch(() => undefined);
    return audioContext;
  } catch {
    return undefined;
  }
}

let waitingForGesture = false;

/**
 * A session runs that no click here started (a reload, another device): the page's next click or key press
 * readies the chime, since a browser lets audio start only in answer to the user.
 */
export function readyAudioOnNextGesture(): void {
  if (audioContext || waitingForGesture) return;
  waitingForGesture = true;
  const ready = () => {
    waitingForGesture = false;
    removeEventListener('pointerdown', ready, true);
    removeEventListener('keydown', ready, true);
    pageAudio();
  };
  addEventListener('pointerdown', ready, true);
  addEventListener('keydown', ready, true);
}

export function pageEnv(): AlertEnv {
  return {
    notification: typeof Notification === 'undefined' ? undefined : Notification,
    vibrate: typeof navigator.vibrate === 'function' ? (pattern) => navigator.vibrate(pattern) : undefined,
    audio: pageAudio,
    storage: localStorage,
  };
}

/**
 * Called from the Lock-in click (and the timer's other buttons): a browser lets a page play sound and ask
 * for notifications only in answer to the user. Asks for notifications the first time only.
 */
export function prepareAlerts(env: AlertEnv = pageEnv()): void {
  env.audio?.();
  const api = env.notification;
  if (!api || api.permission !== 'default' || env.storage.getItem(ASKED_KEY)) return;
  env.storage.setItem(ASKED_KEY, '1');
  void api.requestPermission().catch(() => undefined);
}

function chime(context: AudioContext): void {
  const t = context.currentTime;
  // Two soft sine tones, a fifth apart, each with a quick rise and a half-second fade.
  [880, 1320].forEach((frequency, i) => {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    const start = t + i * 0.18;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.5);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.55);
  });
}

export interface EndMessage {
  title: string;
  body: string;
  /** One notification per session, however many tabs announce it. */
  tag: string;
}

/** The session is over: chime, notify (when allowed), vibrate. Nothing fails when a feature is missing. */
export function announceEnd(message: EndMessage, env: AlertEnv = pageEnv()): void {
  const audio = env.audio?.();
  if (audio) {
    try {
      chime(audio);
    } catch {
      // A browser that refuses to play: the other signals still go out.
    }
  }
  const api = env.notification;
  if (api?.permission === 'granted') {
    try {
      const note = new api(message.title, { body: message.body, tag: message.tag });
      note.onclick = () => {
        globalThis.focus?.();
        note.close();
      };
    } catch {
      // Some mobile browsers only notify through a service worker: the title and chime remain.
    }
  }
  env.vibrate?.([200, 100, 200]);
}

/** What the tab title says on the timer screen (useScreenHeading adds " · Focus"). */
export function timerTitle(view: { remainingSeconds: number } | 'done' | null): string {
  if (view === 'done') return 'Done';
  return view ? clock(view.remainingSeconds) : 'Timer';
}
