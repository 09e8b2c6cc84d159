import type { z } from 'zod';
import type { ZAnnouncement, ZAnnouncementInput, ZAnnouncementUpdate, ZReservation, ZSlot, ZVideoToken, ZWindow } from '../../shared/api/bookings.js';
import type { ServerMessage } from '../../shared/video-signaling.js';

export type Reservation = z.infer<typeof ZReservation>;
export type Announcement = z.infer<typeof ZAnnouncement>;
export type AnnouncementWithSlots = Announcement & { slots: z.infer<typeof ZSlot>[] };
export type AnnouncementInput = z.input<typeof ZAnnouncementInput>;
export type AnnouncementUpdate = z.input<typeof ZAnnouncementUpdate>;
export type VideoToken = z.infer<typeof ZVideoToken>;
export type AvailabilityWindow = z.input<typeof ZWindow>;
export type SignalMessage = ServerMessage;

/** A session's replay (GET /api/reservations/:id/recordings); its schema is still the server's own. */
export interface Recording {
  id: string;
  source: 'daily' | 'builtin';
  createdAt: string;
}
