// Pause, resume and end calls wait here, persisted, until the server has them: sent in order, each
// with its own Idempotency-Key, so a retry after a lost response is answered, not applied twice.
// Each carries its `at` (contract section 10), fixed in the body when it is queued: a retry sends the
// identical body (the key's promise), and a call sent late still counts at the moment the user acted.

export type OutboxAction = 'pause' | 'resume' | 'end';

/** The JSON body sent, byte for byte the same on every retry. */
export interface OutboxBody {
  /** RFC 3339: when the user acted (an end that completed: when the countdown reached zero). */
  at?: string;
  elapsed_seconds?: number;
  status?: 'paused' | 'completed' | 'abandoned';
}

export interface OutboxItem {
  /** Idempotency-Key: fixed when the call is queued, the same on every retry. */
  key: string;
  sessionId: number;
  action: OutboxAction;
  /** null only in calls queued by an older client (a resume without `at`). */
  body: OutboxBody | null;
}

export interface SendResult {
  status: number;
  body: unknown;
}

/** What one answer means for the queued call. */
export type Outcome = 'done' | 'retry' | 'unauthorized' | 'rejected';

const TARGET_STATUS: Record<OutboxAction, (item: OutboxItem) => string[]> = {
  pause: () => ['paused'],
  resume: () => ['active'],
  end: (item) => [item.body?.status ?? ''],
};

function errorOf(body: unknown): { code?: string; details?: { status?: string } } {
  if (body && typeof body === 'object' && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (error && typeof error === 'object') return error as { code?: string; details?: { status?: string } };
  }
  return {};
}

export function classify(item: OutboxItem, result: SendResult): Outcome {
  if (result.status >= 200 && result.status < 300) return 'done';
  if (result.status === 401) return 'unauthorized';
  const error = errorOf(result.body);
  // The session is already where this call would take it (its earlier answer was lost): done.
  if (result.status === 409 && error.code === 'invalid_session_state' && TARGET_STATUS[item.action](item).includes(error.details?.status ?? '')) {
    return 'done';
  }
  if (result.status === 408 || result.status === 429 || result.status >= 500) return 'retry';
  if (result.status === 409 && error.code === 'idempotency_key_in_use') return 'retry';
  return 'rejected';
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface FlushReport {
  item: OutboxItem;
  outcome: 'done' | 'rejected';
  result: SendResult;
}

export type Sender = (item: OutboxItem) => Promise<SendResult>;

/** Thrown by a sender when the network is down; the queue keeps the call and stops for now. */
export class NetworkDown extends Error {
  constructor(cause?: unknown) {
    super('the network is down', { cause });
    this.name = 'NetworkDown';
  }
}

export class Outbox {
  private flushing: Promise<FlushReport[]> | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly storageKey = 'focus.outbox',
  ) {}

  items(): OutboxItem[] {
    try {
      const raw = this.storage.getItem(this.storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
    } catch {
      return [];
    }
  }

  pendingFor(sessionId: number): boolean {
    return this.items().some((item) => item.sessionId === sessionId);
  }

  enqueue(item: OutboxItem): void {
    this.save([...this.items(), item]);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends queued calls in order until the queue is empty or one must wait (network down, server
   * busy, token to refresh). Calls the server refuses for good are dropped and reported.
   * One flush at a time; a second caller shares the running one.
   */
  flush(send: Sender): Promise<FlushReport[]> {
    this.flushing ??= this.run(send).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async run(send: Sender): Promise<FlushReport[]> {
    const reports: FlushReport[] = [];
    for (;;) {
      const [item] = this.items();
      if (!item) return reports;
      let result: SendResult;
      try {
        result = await send(item);
      } catch (error) {
        if (error instanceof NetworkDown) return reports;
        throw error;
      }
      const outcome = classify(item, result);
      if (outcome === 'retry' || outcome === 'unauthorized') return reports;
      this.save(this.items().filter((queued) => queued.key !== item.key));
      reports.push({ item, outcome, result });
    }
  }

  private save(items: OutboxItem[]): void {
    this.storage.setItem(this.storageKey, JSON.stringify(items));
    for (const listener of this.listeners) listener();
  }
}
