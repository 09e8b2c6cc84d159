import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Daily signs webhook deliveries: `X-Webhook-Signature` is the base64 HMAC-SHA256 of
 * `${X-Webhook-Timestamp}.${raw body}`, keyed with the base64-decoded webhook secret.
 * Deliveries older (or newer) than `toleranceMs` are refused, so a captured one cannot be replayed later.
 */
export function verifyDailySignature(input: { secretBase64: string; timestamp: string | undefined; signature: string | undefined; rawBody: string; nowMs?: number; toleranceMs?: number }): boolean {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,13}$/.test(timestamp)) return false;
  // Daily sends seconds; accept milliseconds too.
  const tsMs = timestamp.length > 11 ? Number(timestamp) : Number(timestamp) * 1000;
  if (Math.abs((input.nowMs ?? Date.now()) - tsMs) > (input.toleranceMs ?? 5 * 60_000)) return false;
  const expected = createHmac('sha256', Buffer.from(input.secretBase64, 'base64')).update(`${timestamp}.${input.rawBody}`).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
