import { describe, expect, it } from 'vitest';
import { NetworkDown, Outbox, type OutboxItem, type SendResult, classify } from './outbox.js';

class MemoryStorage {
  private map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

const AT = '2026-02-18T22:55:00Z';
const pause = (key: string, elapsed = 100): OutboxItem => ({ key, sessionId: 1, action: 'pause', body: { elapsed_seconds: elapsed, status: 'paused', at: AT } });
const resume = (key: string): OutboxItem => ({ key, sessionId: 1, action: 'resume', body: { at: AT } });
const end = (key: string, status: 'completed' | 'abandoned' = 'completed'): OutboxItem => ({
  key,
  sessionId: 1,
  action: 'end',
  body: { elapsed_seconds: 1500, status, at: AT },
});
const invalidState = (status: string): SendResult => ({ status: 409, body: { success: false, error: { code: 'invalid_session_state', details: { status } } } });

describe('what an answer means for a queued call', () => {
  it('treats success, including an idempotent replay, as done', () => {
    expect(classify(pause('a'), { status: 200, body: {} })).toBe('done');
  });

  it('treats "already in that state" as done: the earlier answer was lost, not the call', () => {
    expect(classify(pause('a'), invalidState('paused'))).toBe('done');
    expect(classify(end('a', 'abandoned'), invalidState('abandoned'))).toBe('done');
    expect(classify(resume('a'), invalidState('active'))).toBe('done');
  });

  it('rejects a transition the session can no longer make', () => {
    expect(classify(pause('a'), invalidState('completed'))).toBe('rejected');
    expect(classify(end('a', 'completed'), invalidState('abandoned'))).toBe('rejected');
    expect(classify(pause('a'), { status: 422, body: { error: { code: 'elapsed_seconds_invalid' } } })).toBe('rejected');
  });

  it('retries when the server is busy, failing or still working on the same key', () => {
    expect(classify(pause('a'), { status: 503, body: null })).toBe('retry');
    expect(classify(pause('a'), { status: 429, body: null })).toBe('retry');
    expect(classify(pause('a'), { status: 409, body: { error: { code: 'idempotency_key_in_use' } } })).toBe('retry');
  });
});

describe('the offline queue', () => {
  it('sends queued calls in the order they were made, each once', async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.enqueue(pause('k1', 100));
    outbox.enqueue(resume('k2'));
    outbox.enqueue(end('k3'));
    const sent: string[] = [];
    const reports = await outbox.flush(async (item) => {
      sent.push(item.key);
      return { status: 200, body: { data: item.key } };
    });
    expect(sent).toEqual(['k1', 'k2', 'k3']);
    expect(reports.map((r) => r.outcome)).toEqual(['done', 'done', 'done']);
    expect(outbox.items()).toEqual([]);
  });

  it('keeps every call, with its key, while the network is down and sends them when it is back', async () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage);
    outbox.enqueue(pause('k1'));
    outbox.enqueue(end('k2'));
    await outbox.flush(async () => {
      throw new NetworkDown();
    });
    // A reload while offline: a new queue over the same storage still has both calls.
    const reopened = new Outbox(storage);
    expect(reopened.items().map((i) => i.key)).toEqual(['k1', 'k2']);
    expect(reopened.pendingFor(1)).toBe(true);
    const keys: string[] = [];
    await reopened.flush(async (item) => {
      keys.push(item.key);
      return { status: 200, body: null };
    });
    expect(keys).toEqual(['k1', 'k2']);
    expect(reopened.items()).toEqual([]);
  });

  it('resends with the same Idempotency-Key and the identical body, `at` included, after a lost answer', async () => {
    const storage = new MemoryStorage();
    new Outbox(storage).enqueue(end('k1'));
    const sent: string[] = [];
    let attempt = 0;
    const send = async (item: OutboxItem): Promise<SendResult> => {
      attempt += 1;
      sent.push(`${item.key} ${JSON.stringify(item.body)}`);
      if (attempt === 1) throw new NetworkDown(); // the server applied it, the answer was lost
      return { status: 200, body: null };
    };
    await new Outbox(storage).flush(send);
    // Hours later, after a reload: the retry is the same request, so the server answers it as a replay.
    await new Outbox(storage).flush(send);
    expect(sent).toEqual([`k1 {"elapsed_seconds":1500,"status":"completed","at":"${AT}"}`, `k1 {"elapsed_seconds":1500,"status":"completed","at":"${AT}"}`]);
    expect(new Outbox(storage).items()).toEqual([]);
  });

  it('stops at a call the server cannot take yet and keeps the ones behind it in order', async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.enqueue(pause('k1'));
    outbox.enqueue(resume('k2'));
    const reports = await outbox.flush(async () => ({ status: 503, body: null }));
    expect(reports).toEqual([]);
    expect(outbox.items().map((i) => i.key)).toEqual(['k1', 'k2']);
  });

  it('drops a call the server refuses for good and reports it', async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.enqueue(pause('k1'));
    outbox.enqueue(end('k2', 'abandoned'));
    const reports = await outbox.flush(async (item) => (item.key === 'k1' ? invalidState('completed') : { status: 200, body: null }));
    expect(reports.map((r) => [r.item.key, r.outcome])).toEqual([
      ['k1', 'rejected'],
      ['k2', 'done'],
    ]);
  });

  it('runs one flush at a time: a second caller shares it instead of sending twice', async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.enqueue(pause('k1'));
    let sends = 0;
    const send = async (): Promise<SendResult> => {
      sends += 1;
      await new Promise((r) => setTimeout(r, 10));
      return { status: 200, body: null };
    };
    await Promise.all([outbox.flush(send), outbox.flush(send)]);
    expect(sends).toBe(1);
  });
});
