import { describe, expect, it } from 'vitest';
import { fitsAvailability, localParts, nextSlots } from './availability.js';

const paris = (weekday: number, startMinute: number, endMinute: number) => ({ weekday, startMinute, endMinute, timeZone: 'Europe/Paris' });

describe('weekly availability in the coach time zone', () => {
  it('reads local parts across daylight saving time', () => {
    // 2026-07-06 is a Monday: 07:00 UTC is 09:00 in Paris (UTC+2); in January it is 08:00 (UTC+1).
    expect(localParts(Date.parse('2026-07-06T07:00:00Z'), 'Europe/Paris')).toEqual({ day: '2026-07-06', weekday: 1, minute: 540 });
    expect(localParts(Date.parse('2026-01-05T07:00:00Z'), 'Europe/Paris')).toEqual({ day: '2026-01-05', weekday: 1, minute: 480 });
  });

  it('accepts a slot inside a window and refuses one that overflows or is on another day', () => {
    const windows = [paris(1, 9 * 60, 12 * 60)];
    expect(fitsAvailability(windows, Date.parse('2026-07-06T07:00:00Z'), Date.parse('2026-07-06T08:00:00Z'))).toBe(true);
    expect(fitsAvailability(windows, Date.parse('2026-07-06T09:30:00Z'), Date.parse('2026-07-06T10:30:00Z'))).toBe(false);
    expect(fitsAvailability(windows, Date.parse('2026-07-07T07:00:00Z'), Date.parse('2026-07-07T08:00:00Z'))).toBe(false);
    expect(fitsAvailability(windows, Date.parse('2026-07-06T06:30:00Z'), Date.parse('2026-07-06T07:30:00Z'))).toBe(false);
  });

  it('allows a window ending at midnight', () => {
    const windows = [paris(1, 22 * 60, 1440)];
    expect(fitsAvailability(windows, Date.parse('2026-07-06T21:00:00Z'), Date.parse('2026-07-06T22:00:00Z'))).toBe(true);
  });

  it('lists the next slots', () => {
    const slots = nextSlots([paris(1, 9 * 60, 11 * 60)], 3_600_000, Date.parse('2026-07-05T00:00:00Z'), 3);
    expect(slots.map((s) => new Date(s.startMs).toISOString())).toEqual(['2026-07-06T07:00:00.000Z', '2026-07-06T07:30:00.000Z', '2026-07-06T08:00:00.000Z']);
  });
});
