import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../tests/helpers/manual-clock.js';
import { ProcessSlots } from '../process-slots.js';
import { collect, describeTtsContract } from './contract.js';
import { createEspeakTts } from './espeak-tts.js';

describeTtsContract('espeak-ng', () => createEspeakTts(), ['espeak-ng', 'sox']);

describe('espeak-ng under the global cap on speech processes', () => {
  it('a sentence beyond the cap waits for a slot, then fails with tts_busy after queueTimeoutMs; a slot freed serves the next', async () => {
    const clock = new ManualClock();
    const slots = new ProcessSlots({ max: 1, queueTimeoutMs: 5_000, code: 'tts_busy', clock });
    const tts = createEspeakTts({ slots });
    // One session's sentence holds the only slot while its audio is read.
    const first = tts.synthesize('Hello there, this is the first session.', { voice: 'ash' })[Symbol.asyncIterator]();
    expect((await first.next()).done).toBe(false);
    expect([slots.running, slots.waiting]).toEqual([1, 0]);
    // Another session's sentence waits: no process is spawned for it.
    const second = collect(tts.synthesize('Second session.', { voice: 'coral' }));
    second.catch(() => undefined);
    await clock.advance(4_999);
    expect([slots.running, slots.waiting]).toEqual([1, 1]);
    await clock.advance(1);
    await expect(second).rejects.toMatchObject({ name: 'BusyError', code: 'tts_busy' });
    // The first reader stops early: its slot is freed, the next sentence gets it.
    await first.return?.();
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
    const third = await collect(tts.synthesize('Third.', { voice: 'coral' }));
    expect(third.length).toBeGreaterThan(0);
    expect(slots.running).toBe(0);
  });
});
