import type { z } from 'zod';
import type { ZAnnouncement, ZReservation, ZSlot, ZVideoToken } from '../../shared/api/bookings.js';
import type { ServerMessage } from '../../shared/video-signaling.js';

export type Reservation = z.infer<typeof ZReservation>;
export type Announcement = z.infer<typeof ZAnnouncement>;
export type AnnouncementWithSlots = Announcement & { slots: z.infer<typeof ZSlot>[] };
export type VideoToken = z.infer<typeof ZVideoToken>;
export type SignalMessage = ServerMessage;
