import { describe, expect, it } from 'vitest';
import { adminKeys, adminUrls } from '../admin/admin-api.js';
import { chatKeys, chatUrls } from '../chat/chat-api.js';
import { bookingKeys, bookingUrls } from '../sessions/bookings-api.js';
import { voiceUrls } from '../voice/voice-api.js';

/** Each feature writes its paths and query keys once; these are the shapes the pages rely on. */
describe('URL builders and query keys', () => {
  it('builds the API paths with ids and search text encoded', () => {
    expect(chatUrls.sessions()).toBe('/api/chat/sessions?limit=30');
    expect(chatUrls.sessions({ q: 'rendez-vous & co', cursor: 'abc/1' })).toBe('/api/chat/sessions?limit=30&q=rendez-vous+%26+co&cursor=abc%2F1');
    expect(chatUrls.session('a/b')).toBe('/api/chat/sessions/a%2Fb');
    expect(bookingUrls.announcements()).toBe('/api/announcements');
    expect(bookingUrls.announcements('coach 1')).toBe('/api/announcements?coachId=coach%201');
    expect(bookingUrls.reservations('upcoming')).toBe('/api/reservations?when=upcoming');
    expect(bookingUrls.videoToken('r1')).toBe('/api/reservations/r1/video-token');
    expect(adminUrls.adjustCredits('u1')).toBe('/api/admin/users/u1/credits/adjust');
    expect(voiceUrls.conversationEnd('c1')).toBe('/api/conversations/c1/end');
  });

  it('nests query keys under their feature, so one invalidation reaches every list', () => {
    const startsWith = (key: readonly unknown[], prefix: readonly unknown[]) => prefix.every((part, i) => key[i] === part);
    expect(startsWith(chatKeys.list('samedi'), chatKeys.lists())).toBe(true);
    expect(startsWith(chatKeys.session('s1'), chatKeys.all)).toBe(true);
    expect(startsWith(bookingKeys.reservations('past'), bookingKeys.reservationLists())).toBe(true);
    expect(startsWith(bookingKeys.announcements('c1'), bookingKeys.announcementLists())).toBe(true);
    expect(startsWith(adminKeys.credits('u1'), adminKeys.all)).toBe(true);
    expect(chatKeys.list('a')).not.toEqual(chatKeys.list('b'));
  });
});
