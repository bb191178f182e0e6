// The timer screen's state and actions: the countdown (timer.ts), the offline queue (outbox.ts), the
// session endpoints and /home, glued together. One module-level store; the UI subscribes to it.
// The server's session is the truth on every device (contract section 10): the timer comes from its
// resumed_at on load, when the tab comes back into view and once a minute while it is visible, unless
// this browser still has calls for the session waiting to be sent (then its own state is newer).
import { api, errorCode, errorMessage } from '../api/client.js';
import type { Ended, FocusSession, Home, Rewards } from '../api/types.js';
import { Offline, SignedOut, authed } from './auth.js';
import { duration, rfc3339 } from './format.js';
import { newKey } from './ids.js';
import { announceEnd, prepareAlerts, readyAudioOnNextGesture } from './notify.js';
import { NetworkDown, Outbox, type FlushReport, type OutboxBody, type OutboxItem, type SendResult } from './outbox.js';
import { testClockOn } from './test-clock.js';
import {
  type ServerSession,
  type TimerState,
  clockSkew,
  elapsedAt,
  fromServer,
  isFinished,
  parseTimer,
  paused,
  plannedEndMs,
  restore,
  resumed,
  sameTimer,
  wholeSecond,
} from './timer.js';

export interface SessionResult {
  sessionId: number;
  status: 'completed' | 'abandoned';
  elapsedSeconds: number;
  /** The end call is still waiting in the queue (offline). */
  pending: boolean;
  rewards: Rewards | null;
  /** The new badges have been shown once; coming back to the screen does not show them again. */
  celebrated?: boolean;
}

export interface FocusState {
  loaded: boolean;
  timer: TimerState | null;
  result: SessionResult | null;
  online: boolean;
  queued: number;
  busy: boolean;
  notice: string | null;
  /** Today and the streak, for the line under the timer; null until /home has answered. */
  home: Home | null;
}

/** What a Lock-in is for: a tag (or none) and a note (or none), contract section 11. */
export interface SessionLabel {
  tagId: number | null;
  note: string;
}

const TIMER_KEY = 'focus.timer';
const OUTBOX_KEY = 'focus.outbox';
/** Re-read the running session this often while the tab is visible: a change made elsewhere shows within a minute. */
export const SYNC_INTERVAL_MS = 60_000;
export const outbox = new Outbox(localStorage, OUTBOX_KEY);

let state: FocusState = {
  loaded: false,
  timer: parseTimer(localStorage.getItem(TIMER_KEY)),
  result: null,
  online: navigator.onLine,
  queued: outbox.items().length,
  busy: false,
  notice: null,
  home: null,
};
const listeners = new Set<() => void>();
/** Bumped by every change this tab makes to the timer: an answer read before it is out of date. */
let version = 0;
/** This device's clock minus the server's, learned from answers (0 under the test clock, whose "now" is the page's). */
let skewMs = 0;

/** The server's "now" as well as this device can tell. */
export function now(): number {
  return Date.now() - skewMs;
}

function learnClock(response: Response): void {
  if (testClockOn()) return;
  skewMs = clockSkew(response.headers.get('date'), Date.now()) ?? skewMs;
}

export function focusState(): FocusState {
  return state;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(): void {
  watchCountdown();
  for (const listener of listeners) listener();
}

function set(patch: Partial<FocusState>): void {
  state = { ...state, ...patch };
  if ('timer' in patch) {
    if (state.timer) localStorage.setItem(TIMER_KEY, JSON.stringify(state.timer));
    else localStorage.removeItem(TIMER_KEY);
  }
  emit();
}

/** A change this tab made: answers already on their way no longer decide the timer. */
function setTimer(timer: TimerState | null, patch: Partial<FocusState> = {}): void {
  version += 1;
  set({ ...patch, timer });
}

outbox.subscribe(() => set({ queued: outbox.items().length }));

// Another tab paused, resumed, ended or queued something: show the same timer here.
addEventListener('storage', (event) => {
  if (event.key === TIMER_KEY) {
    const before = state.timer;
    const after = parseTimer(event.newValue);
    version += 1;
    // The other tab saw the countdown reach zero first: this one says so too (it announced the end).
    const done = before !== null && after === null && before.status === 'active' && isFinished(before, now() + 1000);
    const result: SessionResult | null = done
      ? { sessionId: before.sessionId, status: 'completed', elapsedSeconds: before.durationSeconds, pending: false, rewards: null, celebrated: true }
      : state.result;
    state = { ...state, timer: after, result };
    emit();
  } else if (event.key === OUTBOX_KEY) {
    set({ queued: outbox.items().length });
  }
});

function pendingFor(...ids: (number | undefined)[]): boolean {
  return outbox.items().some((item) => ids.includes(item.sessionId));
}

/**
 * The server's running session (read when `asOf` was the version) decides the timer, unless this tab
 * changed it since or still has calls for it waiting. A session that ended elsewhere is said so.
 */
function adopt(server: ServerSession | null, asOf: number): void {
  if (asOf !== version || state.busy) return;
  const local = state.timer;
  const pending = pendingFor(server?.id, local?.sessionId);
  const next = restore(server, local, pending);
  if (sameTimer(next, local)) return;
  const endedElsewhere = local !== null && next === null;
  const result = next && state.result?.sessionId !== next.sessionId ? null : state.result;
  setTimer(next, { result, notice: endedElsewhere ? 'This session was ended on another device.' : state.notice });
  if (endedElsewhere) void refreshHome();
}

/** Spec step 7: bring the timer back from /home's running session (or from this browser when offline). */
export async function load(): Promise<void> {
  const asOf = version;
  try {
    const { data, response } = await authed(() => api.GET('/api/v1/home'));
    // A server error is no answer: keep what this browser has rather than drop a running timer.
    if (!data) throw new Offline();
    learnClock(response);
    set({ loaded: true, home: data.data, online: true });
    adopt(data.data.active_session, asOf);
  } catch (error) {
    if (error instanceof SignedOut) return;
    // Offline: the browser's own state is all there is; the timer keeps running from it.
    set({ loaded: true, online: false });
  }
  void flush();
}

let syncing: Promise<void> | null = null;

/** Re-reads the running session: a pause, resume or end made on another device shows here. */
export function sync(): Promise<void> {
  syncing ??= (async () => {
    const asOf = version;
    try {
      const { data, response } = await authed(() => api.GET('/api/v1/sessions/active'));
      if (!data) return;
      learnClock(response);
      adopt(data.data, asOf);
    } catch {
      // Offline or signed out: the timer runs on from this browser's state.
    }
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

function syncIfVisible(): void {
  if (state.loaded && document.visibilityState === 'visible') void sync();
}
addEventListener('focus', syncIfVisible);
document.addEventListener('visibilitychange', syncIfVisible);
setInterval(syncIfVisible, SYNC_INTERVAL_MS);

/** Today's figures again; the timer is left alone (this browser may be ahead of the server). */
export async function refreshHome(): Promise<void> {
  try {
    const { data } = await authed(() => api.GET('/api/v1/home'));
    if (data) set({ home: data.data });
  } catch {
    // Offline or signed out: the line keeps the figures it has.
  }
}

/** Lock-in. Called from the click itself: the browser allows the notification question and sound only then. */
export async function start(durationSeconds: number, label: SessionLabel = { tagId: null, note: '' }): Promise<boolean> {
  if (state.busy || state.timer) return false;
  prepareAlerts();
  set({ busy: true, notice: null, result: null });
  const key = newKey();
  const body = {
    duration_seconds: durationSeconds,
    ...(label.tagId !== null ? { tag_id: label.tagId } : {}),
    ...(label.note.trim() !== '' ? { note: label.note } : {}),
  };
  try {
    const { data, error, response } = await authed(() => api.POST('/api/v1/sessions', { body, headers: { 'Idempotency-Key': key } }));
    if (data) {
      learnClock(response);
      setTimer(fromServer(data.data), { online: true });
      return true;
    }
    if (errorCode(error) === 'session_already_running') {
      const running = (error as { error: { details: { session: FocusSession } } }).error.details.session;
      setTimer(fromServer(running), { notice: 'A session was already running, so it is shown here.' });
    } else {
      set({ notice: errorMessage(error) });
    }
  } catch (error) {
    if (error instanceof Offline) set({ online: false, notice: 'You are offline. Lock-in needs the network to start; pausing and finishing work offline.' });
    else if (!(error instanceof SignedOut)) throw error;
  } finally {
    set({ busy: false });
  }
  return false;
}

function enqueue(timer: TimerState, action: OutboxItem['action'], body: OutboxBody): void {
  outbox.enqueue({ key: newKey(), sessionId: timer.sessionId, action, body });
}

export function pause(): void {
  const timer = state.timer;
  if (!timer || timer.status !== 'active') return;
  prepareAlerts();
  const at = wholeSecond(now());
  const next = paused(timer, at);
  setTimer(next, { notice: null });
  enqueue(next, 'pause', { elapsed_seconds: next.elapsedSeconds, status: 'paused', at: rfc3339(at) });
  void flush();
}

export function resume(): void {
  const timer = state.timer;
  if (!timer || timer.status !== 'paused') return;
  prepareAlerts();
  const at = wholeSecond(now());
  setTimer(resumed(timer, at), { notice: null });
  enqueue(timer, 'resume', { at: rfc3339(at) });
  void flush();
}

/**
 * Finish (the countdown reached zero: completed, at the moment it reached zero, however late this tab
 * noticed) or give up (abandoned, now). The `at` decides the day the session counts for.
 */
export function end(status: 'completed' | 'abandoned'): void {
  const timer = state.timer;
  if (!timer) return;
  const at = status === 'completed' ? (plannedEndMs(timer) ?? wholeSecond(now())) : wholeSecond(now());
  const elapsed = status === 'completed' ? timer.durationSeconds : elapsedAt(timer, at);
  setTimer(null, {
    notice: null,
    result: { sessionId: timer.sessionId, status, elapsedSeconds: elapsed, pending: true, rewards: null },
  });
  enqueue(timer, 'end', { elapsed_seconds: elapsed, status, at: rfc3339(at) });
  if (status === 'completed') {
    const what = timer.tag ? ` · ${timer.tag.name}` : '';
    announceEnd({ title: 'Session complete', body: `${duration(elapsed)} of focus${what}. Well done.`, tag: `focus-end-${timer.sessionId}` });
  }
  void flush();
}

export function markCelebrated(): void {
  if (state.result) set({ result: { ...state.result, celebrated: true } });
}

export function dismissResult(): void {
  set({ result: null });
}

/** Completes the session when the countdown reaches zero, whichever screen is open. */
function tick(): void {
  const timer = state.timer;
  if (timer && timer.status === 'active' && isFinished(timer, now())) end('completed');
}

let countdown: ReturnType<typeof setTimeout> | undefined;
/**
 * One timeout set for the moment the countdown reaches zero (set again on every change). A single timeout
 * is not held back as a repeating timer is in a background tab, so the end is noticed on time there too;
 * one that fires early (the device clock moved) is set again.
 */
function watchCountdown(): void {
  clearTimeout(countdown);
  countdown = undefined;
  const endAt = state.timer ? plannedEndMs(state.timer) : null;
  if (endAt === null) return;
  readyAudioOnNextGesture();
  const wait = Math.min(Math.max(0, endAt - now()) + 50, 3_600_000);
  countdown = setTimeout(() => {
    countdown = undefined;
    tick();
    if (countdown === undefined) watchCountdown();
  }, wait);
}
watchCountdown();

async function send(item: OutboxItem): Promise<SendResult> {
  const headers = { 'Idempotency-Key': item.key };
  const path = { id: item.sessionId };
  // The stored body as it is, on every attempt: the Idempotency-Key promises the same request.
  const at = item.body?.at !== undefined ? { at: item.body.at } : {};
  const elapsed_seconds = item.body?.elapsed_seconds ?? 0;
  try {
    const { response, data, error } = await authed(() => {
      if (item.action === 'pause') {
        return api.PATCH('/api/v1/sessions/{id}/pause', { params: { path }, body: { elapsed_seconds, status: 'paused', ...at }, headers });
      }
      if (item.action === 'resume') return api.PATCH('/api/v1/sessions/{id}/resume', { params: { path }, body: at, headers });
      const status = item.body?.status === 'completed' ? ('completed' as const) : ('abandoned' as const);
      return api.PATCH('/api/v1/sessions/{id}/end', { params: { path }, body: { elapsed_seconds, status, ...at }, headers });
    });
    return { status: response.status, body: data ?? error };
  } catch (error) {
    if (error instanceof Offline || error instanceof SignedOut) throw new NetworkDown(error);
    throw error;
  }
}

/** Sends whatever waits in the queue; the answers to end calls bring the rewards. */
export async function flush(): Promise<void> {
  if (outbox.items().length === 0) return;
  let reports: FlushReport[];
  try {
    reports = await outbox.flush(send);
  } catch {
    return;
  }
  const stillQueued = outbox.items().length;
  set({ online: navigator.onLine || reports.length > 0 });
  for (const report of reports) applyReport(report);
  if (stillQueued > 0) scheduleRetry();
}

function applyReport({ item, outcome, result }: FlushReport): void {
  if (outcome === 'rejected') {
    set({ notice: `The server did not accept a ${item.action}: ${errorMessage(result.body, 'it was refused')}.` });
    if (item.action === 'end' && state.result?.sessionId === item.sessionId) set({ result: null });
    // The server is the truth now: bring the timer back in line with it.
    void load();
    return;
  }
  if (item.action !== 'end') return;
  if (state.result?.sessionId === item.sessionId) {
    const ended = (result.body as { data?: Ended } | null)?.data;
    set({ result: { ...state.result, pending: false, rewards: ended?.rewards ?? null } });
  }
  // The session is counted now: the today line catches up.
  void refreshHome();
}

let retryTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRetry(): void {
  if (retryTimer !== undefined) return;
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    void flush();
  }, 15_000);
}

addEventListener('online', () => {
  set({ online: true });
  void flush();
});
addEventListener('offline', () => set({ online: false }));

/** After signing out: nothing of the previous user stays in this browser. */
export function resetFocus(): void {
  localStorage.removeItem(OUTBOX_KEY);
  setTimer(null, { result: null, notice: null, queued: 0, loaded: false, home: null });
}
