// The timer screen's state and actions: the countdown (timer.ts), the offline queue (outbox.ts), the
// session endpoints and /home, glued together. One module-level store; the UI subscribes to it.
import { api, errorCode, errorMessage } from '../api/client.js';
import type { Ended, FocusSession, Home, Rewards } from '../api/types.js';
import { Offline, SignedOut, authed } from './auth.js';
import { newKey } from './ids.js';
import { NetworkDown, Outbox, type FlushReport, type OutboxItem, type SendResult } from './outbox.js';
import { testNow } from './test-clock.js';
import { type TimerState, elapsedAt, isFinished, paused, restore, resumed, started } from './timer.js';

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

const TIMER_KEY = 'focus.timer';
export const outbox = new Outbox(localStorage);

let state: FocusState = {
  loaded: false,
  timer: readTimer(),
  result: null,
  online: navigator.onLine,
  queued: outbox.items().length,
  busy: false,
  notice: null,
  home: null,
};
const listeners = new Set<() => void>();

export function focusState(): FocusState {
  return state;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(patch: Partial<FocusState>): void {
  state = { ...state, ...patch };
  if ('timer' in patch) writeTimer(state.timer);
  for (const listener of listeners) listener();
}

function readTimer(): TimerState | null {
  try {
    const raw = localStorage.getItem(TIMER_KEY);
    return raw ? (JSON.parse(raw) as TimerState) : null;
  } catch {
    return null;
  }
}

function writeTimer(timer: TimerState | null): void {
  if (timer) localStorage.setItem(TIMER_KEY, JSON.stringify(timer));
  else localStorage.removeItem(TIMER_KEY);
}

outbox.subscribe(() => set({ queued: outbox.items().length }));

// Another tab paused, resumed, ended or queued something: show the same timer here.
addEventListener('storage', (event) => {
  if (event.key === TIMER_KEY) {
    state = { ...state, timer: readTimer() };
    for (const listener of listeners) listener();
  } else if (event.key === 'focus.outbox') {
    set({ queued: outbox.items().length });
  }
});

/** Spec step 7: bring the timer back from /home's running session (or from this browser when offline). */
export async function load(): Promise<void> {
  try {
    const { data } = await authed(() => api.GET('/api/v1/home'));
    // A server error is no answer: keep what this browser has rather than drop a running timer.
    if (!data) throw new Offline();
    const home = data.data;
    const server = home.active_session;
    const local = readTimer();
    const endQueued = server !== null && outbox.items().some((i) => i.sessionId === server.id && i.action === 'end');
    const timer = endQueued ? null : restore(server, local, local !== null && outbox.pendingFor(local.sessionId), Date.now());
    set({ loaded: true, timer, home, online: true });
  } catch (error) {
    if (error instanceof SignedOut) return;
    // Offline: the browser's own state is all there is; the timer keeps running from it.
    set({ loaded: true, online: false });
  }
  void flush();
}

/** Today's figures again; the timer is left alone (this browser may be ahead of the server). */
export async function refreshHome(): Promise<void> {
  try {
    const { data } = await authed(() => api.GET('/api/v1/home'));
    if (data) set({ home: data.data });
  } catch {
    // Offline or signed out: the line keeps the figures it has.
  }
}

export async function start(durationSeconds: number): Promise<void> {
  if (state.busy || state.timer) return;
  set({ busy: true, notice: null, result: null });
  const key = newKey();
  try {
    const { data, error } = await authed(() =>
      api.POST('/api/v1/sessions', { body: { duration_seconds: durationSeconds }, headers: { 'Idempotency-Key': key } }),
    );
    if (data) {
      set({ timer: started(data.data, Date.now()), online: true });
    } else if (errorCode(error) === 'session_already_running') {
      const running = (error as { error: { details: { session: FocusSession } } }).error.details.session;
      set({ timer: restore(running, null, false, Date.now()), notice: 'A session was already running, so it is shown here.' });
    } else {
      set({ notice: errorMessage(error) });
    }
  } catch (error) {
    if (error instanceof Offline) set({ online: false, notice: 'You are offline. Lock-in needs the network to start; pausing and finishing work offline.' });
    else if (!(error instanceof SignedOut)) throw error;
  } finally {
    set({ busy: false });
  }
}

function enqueue(timer: TimerState, action: OutboxItem['action'], body: OutboxItem['body']): void {
  const now = testNow();
  outbox.enqueue({ key: newKey(), sessionId: timer.sessionId, action, body, ...(now ? { testNow: now } : {}) });
}

export function pause(): void {
  const timer = state.timer;
  if (!timer || timer.status !== 'active') return;
  const next = paused(timer, Date.now());
  set({ timer: next, notice: null });
  enqueue(next, 'pause', { elapsed_seconds: next.elapsedAtAnchor, status: 'paused' });
  void flush();
}

export function resume(): void {
  const timer = state.timer;
  if (!timer || timer.status !== 'paused') return;
  set({ timer: resumed(timer, Date.now()), notice: null });
  enqueue(timer, 'resume', null);
  void flush();
}

/** Finish (the countdown reached zero: completed) or give up (abandoned). */
export function end(status: 'completed' | 'abandoned'): void {
  const timer = state.timer;
  if (!timer) return;
  const elapsed = status === 'completed' ? timer.durationSeconds : elapsedAt(timer, Date.now());
  set({
    timer: null,
    notice: null,
    result: { sessionId: timer.sessionId, status, elapsedSeconds: elapsed, pending: true, rewards: null },
  });
  enqueue(timer, 'end', { elapsed_seconds: elapsed, status });
  void flush();
}

export function markCelebrated(): void {
  if (state.result) set({ result: { ...state.result, celebrated: true } });
}

export function dismissResult(): void {
  set({ result: null });
}

/** Called every animation tick: completes the session when the countdown reaches zero. */
export function tick(): void {
  const timer = state.timer;
  if (timer && timer.status === 'active' && isFinished(timer, Date.now())) end('completed');
}

async function send(item: OutboxItem): Promise<SendResult> {
  const headers: Record<string, string> = { 'Idempotency-Key': item.key };
  if (item.testNow) headers['X-Test-Now'] = item.testNow;
  const path = { id: item.sessionId };
  try {
    const { response, data, error } = await authed(() => {
      if (item.action === 'pause') {
        return api.PATCH('/api/v1/sessions/{id}/pause', { params: { path }, body: { elapsed_seconds: item.body?.elapsed_seconds ?? 0, status: 'paused' }, headers });
      }
      if (item.action === 'resume') return api.PATCH('/api/v1/sessions/{id}/resume', { params: { path }, body: {}, headers });
      const body = { elapsed_seconds: item.body?.elapsed_seconds ?? 0, status: item.body?.status === 'completed' ? ('completed' as const) : ('abandoned' as const) };
      return api.PATCH('/api/v1/sessions/{id}/end', { params: { path }, body, headers });
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
  localStorage.removeItem('focus.outbox');
  set({ timer: null, result: null, notice: null, queued: 0, loaded: false, home: null });
}
