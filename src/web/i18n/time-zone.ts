/** The zone this browser shows times in (pages format dates without a timeZone option, so in this one). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone the browser knows, sorted, always with UTC and the current value. */
export function timeZoneOptions(current: string): string[] {
  const zones = new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);
  zones.add('UTC');
  zones.add(browserTimeZone());
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}
