import { randomBytes } from 'node:crypto';

/** OpenAI-style ids: `item_…`, `resp_…`, `call_…`, `sess_…`, `event_…`. */
export const newId = (prefix: 'item' | 'resp' | 'call' | 'sess' | 'event'): string => `${prefix}_${randomBytes(12).toString('base64url')}`;
