/**
 * One failure ends the whole lookup: the first failure that will not be retried aborts every sibling request, no
 * new page starts, and the lookup rejects once its requests have settled. Counted on the client (requests
 * started, in flight) and on the emulator (requests that arrived, answered, still open), for each cloud that sends
 * requests concurrently; no wall-clock time is measured (a lookup that never settles fails on Jest's timeout).
 */
import { getEventListeners } from 'events';
import { Emulator, Fault } from '../../provider/emulator/server';
import { HttpClient } from '../../provider/core/http/client';
import { RequestSharing } from '../../provider/core/share';
import { lookupImages } from '../../provider/lookup';
import { CancelledError, CloudApiError } from '../../provider/core/errors';
import { syntheticCatalog } from '../helpers/alicloud-catalog';
import { builtInCatalog } from '../../provider/emulator/server';
import { BUILT_IN_REGION } from '../helpers/regions';
import { BUILT_LOOKUP, runScript } from '../helpers/child';

/** Long enough that an answer from a slow sibling could only mean the lookup waited for it, or did not hang up. */
const SLOW_MS = 10_000;

interface Outcome {
  error: unknown;
  sentAtRejection: number;
  inFlightAtRejection: number;
  sentLater: number;
  /** Slow siblings that had been answered when the lookup rejected. */
  slowAnswered: number;
  /** Requests the server saw in all, a second after the rejection. */
  arrived: number;
  /** Requests the server still held open a second after the rejection: a sibling rejected but not hung up on. */
  openOnServer: number;
  unhandled: unknown[];
}

/** Runs a lookup expected to fail, and watches what the client and the server do after the rejection. */
async function failingLookup(emulator: Emulator, query: Record<string, unknown>, faults: Fault[]): Promise<Outcome> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  // One attempt per request: a server error is then final at once (retries are tested elsewhere).
  const http = new HttpClient({ timeoutMs: 20_000, retry: { maxAttempts: 1 } });
  faults.forEach((fault) => emulator.inject(fault));
  try {
    const error = await lookupImages(query, { config: emulator.clientConfig(), env: {}, http, sharing: new RequestSharing() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const sentAtRejection = http.sent;
    const inFlightAtRejection = http.inFlight;
    const slowAnswered = emulator.requests.filter((r) => r.fault === 'delay' && r.status !== 0).length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return {
      error,
      sentAtRejection,
      inFlightAtRejection,
      sentLater: http.sent - sentAtRejection,
      slowAnswered,
      arrived: emulator.count(),
      openOnServer: emulator.inFlight,
      unhandled,
    };
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
}

function expectStoppedAtOnce(outcome: Outcome, message: RegExp): void {
  expect(outcome.error).toBeInstanceOf(CloudApiError);
  expect(outcome.error).not.toBeInstanceOf(CancelledError);
  expect((outcome.error as Error).message).toMatch(message);
  expect(outcome.slowAnswered).toBe(0); // did not wait for the slow siblings to answer: they were aborted
  expect(outcome.inFlightAtRejection).toBe(0); // rejected after every sibling settled
  expect(outcome.openOnServer).toBe(0); // and each was hung up on, not left waiting for its slow answer
  expect(outcome.sentLater).toBe(0); // no request started after the rejection
  expect(outcome.arrived).toBeLessThanOrEqual(outcome.sentAtRejection); // the server saw nothing newer either
  expect(outcome.unhandled).toEqual([]);
}

describe('cancellation: the first final failure stops the whole lookup', () => {
  it('Alibaba, 100 pages at up to 32 at once: a failed page aborts the 31 in flight and starts none of the rest', async () => {
    const emulator = await new Emulator({ catalog: { alicloud: syntheticCatalog(10_000) } }).start();
    try {
      const page = (r: { query: URLSearchParams }) => Number(r.query.get('PageNumber'));
      const outcome = await failingLookup(emulator, { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' }, [
        { kind: 'server-error', times: Infinity, when: (r) => page(r) === 5 },
        { kind: 'delay', delayMs: SLOW_MS, times: Infinity, when: (r) => page(r) > 1 },
      ]);
      expectStoppedAtOnce(outcome, /^alicloud DescribeImages: page 5 of 100 failed, so the list would be incomplete/);
      expect(outcome.sentAtRejection).toBe(33); // page 1, then pages 2 to 33; pages 34 to 100 never started
    } finally {
      await emulator.stop();
    }
  });

  it('Huawei Cloud, two listings paged one after another: a failed page of one stops the other before its next page', async () => {
    const emulator = await new Emulator({ catalog: builtInCatalog(['huaweicloud']) }).start();
    try {
      const outcome = await failingLookup(emulator, { cloud: 'huaweicloud', region: BUILT_IN_REGION.huaweicloud(emulator), filters: { limit: '1' } }, [
        { kind: 'server-error', times: Infinity, when: (r) => r.query.get('__imagetype') === 'private' && r.query.has('marker') },
        { kind: 'delay', delayMs: SLOW_MS, times: Infinity, when: (r) => r.query.get('__imagetype') === 'gold' && r.query.has('marker') },
      ]);
      expectStoppedAtOnce(outcome, /^huaweicloud ListImages \(__imagetype=private[^)]*\) page 2: /);
      expect(outcome.sentAtRejection).toBe(4); // page 1 and 2 of each listing
    } finally {
      await emulator.stop();
    }
  });

  it('nscale, two scopes at once: a failed scope aborts the other', async () => {
    const emulator = await new Emulator({ catalog: builtInCatalog(['nscale']) }).start();
    try {
      const outcome = await failingLookup(emulator, { cloud: 'nscale', region: BUILT_IN_REGION.nscale(emulator) }, [
        { kind: 'server-error', times: Infinity, when: (r) => r.query.get('scope') === 'owned' },
        { kind: 'delay', delayMs: SLOW_MS, times: Infinity, when: (r) => r.query.get('scope') !== 'owned' },
      ]);
      expectStoppedAtOnce(outcome, /^nscale /);
      expect(outcome.sentAtRejection).toBe(2);
    } finally {
      await emulator.stop();
    }
  });
});

describe('a lookup that succeeds leaves nothing behind on its signal', () => {
  // Alibaba, 100 pages at up to 32 at once, each held 50 ms so they are in flight together.
  const slowPages = () =>
    new Emulator({ catalog: { alicloud: syntheticCatalog(10_000) } }).start().then((emulator) => {
      emulator.inject({ kind: 'delay', delayMs: 50, times: Infinity, when: () => true });
      return emulator;
    });
  const query = { cloud: 'alicloud', region: 'cn-hangzhou', visibility: 'private' };

  it('removes every abort listener once its requests settle, though more than 10 were on it at once', async () => {
    const emulator = await slowPages();
    try {
      const http = new HttpClient({ timeoutMs: 20_000 });
      const signals: AbortSignal[] = []; // the lookup's own, as it makes it
      const forLookup = http.forLookup.bind(http);
      http.forLookup = (deadlineMs) => {
        const view = forLookup(deadlineMs);
        signals.push(view.scope!.signal);
        return view;
      };
      let mostAtOnce = 0;
      const watch = setInterval(() => signals.forEach((signal) => (mostAtOnce = Math.max(mostAtOnce, getEventListeners(signal, 'abort').length))), 1);
      const { result } = await lookupImages(query, { config: emulator.clientConfig(), env: {}, http, sharing: new RequestSharing() }).finally(() =>
        clearInterval(watch),
      );
      expect(result.ids).toHaveLength(10_000);
      expect(signals).toHaveLength(1);
      expect(mostAtOnce).toBeGreaterThan(10); // past Node's default limit of 10, where it warns of a leak
      expect(getEventListeners(signals[0], 'abort')).toHaveLength(0); // so no finished page stays referenced
    } finally {
      await emulator.stop();
    }
  });

  it('prints no MaxListenersExceededWarning (a user would see it in every pulumi preview)', async () => {
    const emulator = await slowPages();
    // A fresh process, as a Pulumi program is: Jest's sandbox does not see the real process's warnings.
    const script = `
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.name + ': ' + w.message));
      const { lookupImages } = require(${JSON.stringify(BUILT_LOOKUP)});
      lookupImages(JSON.parse(process.argv[1]), { config: JSON.parse(process.argv[2]), env: {} })
        .then(({ result }) => setImmediate(() => console.log(JSON.stringify({ images: result.ids.length, warnings }))));`;
    try {
      const outcome = await runScript<{ images: number; warnings: string[] }>(script, [JSON.stringify(query), JSON.stringify(emulator.clientConfig())]);
      expect(outcome).toEqual({ images: 10_000, warnings: [] });
    } finally {
      await emulator.stop();
    }
  });
});
