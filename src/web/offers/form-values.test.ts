import { describe, expect, it } from 'vitest';
import { fromCents, fromMinute, toCents, toMinute, weekdayNames } from './form-values.js';

describe('offer and availability form values', () => {
  it('reads times of day as minutes, with 00:00 as the end of the day for an end time', () => {
    expect(toMinute('09:30')).toBe(570);
    expect(toMinute('00:00')).toBe(0);
    expect(toMinute('00:00', true)).toBe(1440);
    expect(toMinute('23:59', true)).toBe(1439);
    for (const bad of ['', '9:30', '24:00', '12:60', 'noon']) expect(toMinute(bad)).toBeNull();
    expect([fromMinute(570), fromMinute(0), fromMinute(1440)]).toEqual(['09:30', '00:00', '00:00']);
  });

  it('reads prices with a comma or a dot as cents', () => {
    expect([toCents('45'), toCents('45,5'), toCents('45.50'), toCents(' 0 '), toCents('1234,07')]).toEqual([4500, 4550, 4550, 0, 123407]);
    for (const bad of ['', '-5', '4,555', '45€', 'abc']) expect(toCents(bad)).toBeNull();
    expect([fromCents(4500), fromCents(4550), fromCents(7)]).toEqual(['45', '45.50', '0.07']);
  });

  it('names weekdays in the UI language, Sunday first like the API', () => {
    expect(weekdayNames('fr')[0]).toBe('dimanche');
    expect(weekdayNames('en')[1]).toBe('Monday');
  });
});
