/**
 * Weekly availability windows are kept in the coach's own time zone (a window "Monday
 * 09:00–12:00 Europe/Paris" follows daylight saving time). A slot fits when it lies inside
 * one window on a single local day.
 */
export interface WeeklyWindow {
  weekday: number; // 0 = Sunday
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar day, weekday and minute of the day of an instant in a time zone. */
export function localParts(ms: number, timeZone: string): { day: string; weekday: number; minute: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(parts.weekday!),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

export function fitsAvailability(windows: WeeklyWindow[], startMs: number, endMs: number): boolean {
  return windows.some((w) => {
    const start = localParts(startMs, w.timeZone);
    // The instant just before the end, so a slot ending at local midnight still belongs to its day.
    const last = localParts(endMs - 1, w.timeZone);
    if (start.day !== last.day || start.weekday !== w.weekday) return false;
    return start.minute >= w.startMinute && last.minute + 1 <= w.endMinute && endMs - startMs <= (w.endMinute - w.startMinute) * 60_000;
  });
}

/** The next `count` bookable slots of `durationMs` after `fromMs` (for the booking UI and the seed). */
export function nextSlots(windows: WeeklyWindow[], durationMs: number, fromMs: number, count: number, stepMs = 30 * 60_000): { startMs: number; endMs: number }[] {
  const slots: { startMs: number; endMs: number }[] = [];
  let t = Math.ceil(fromMs / stepMs) * stepMs;
  const limit = fromMs + 21 * 24 * 3_600_000;
  while (slots.length < count && t < limit) {
    if (fitsAvailability(windows, t, t + durationMs)) slots.push({ startMs: t, endMs: t + durationMs });
    t += stepMs;
  }
  return slots;
}
