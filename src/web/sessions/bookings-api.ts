import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.js';
import type { Announcement, AnnouncementInput, AnnouncementUpdate, AnnouncementWithSlots, AvailabilityWindow, Recording, Reservation, VideoToken } from './types.js';

const id = (value: string) => encodeURIComponent(value);
export type ReservationsWhen = 'upcoming' | 'past';

/** The coaching sessions API paths (offers, availability, reservations, video, recordings), written once. */
export const bookingUrls = {
  announcements: (coachId?: string) => (coachId ? `/api/announcements?coachId=${id(coachId)}` : '/api/announcements'),
  announcement: (announcementId: string) => `/api/announcements/${id(announcementId)}`,
  newAnnouncement: '/api/announcements',
  availability: (coachId: string) => `/api/coaches/${id(coachId)}/availability`,
  reservations: (when: ReservationsWhen) => `/api/reservations?when=${when}`,
  newReservation: '/api/reservations',
  reservation: (reservationId: string) => `/api/reservations/${id(reservationId)}`,
  cancel: (reservationId: string) => `/api/reservations/${id(reservationId)}/cancel`,
  videoToken: (reservationId: string) => `/api/reservations/${id(reservationId)}/video-token`,
  recordings: (reservationId: string) => `/api/reservations/${id(reservationId)}/recordings`,
  recordingMedia: (recordingId: string) => `/api/recordings/${id(recordingId)}/media`,
} as const;

/** Query keys of coaching sessions. */
export const bookingKeys = {
  all: ['bookings'] as const,
  announcementLists: () => [...bookingKeys.all, 'announcements'] as const,
  announcements: (coachId?: string) => [...bookingKeys.announcementLists(), { coachId: coachId ?? null }] as const,
  announcement: (announcementId: string) => [...bookingKeys.all, 'announcement', announcementId] as const,
  availability: (coachId: string) => [...bookingKeys.all, 'availability', coachId] as const,
  reservationLists: () => [...bookingKeys.all, 'reservations'] as const,
  reservations: (when: ReservationsWhen) => [...bookingKeys.reservationLists(), when] as const,
  videoToken: (reservationId: string) => [...bookingKeys.all, 'videoToken', reservationId] as const,
  recordings: (reservationId: string) => [...bookingKeys.all, 'recordings', reservationId] as const,
};

/** Everything that shows free slots: the offers with their slots (a booking or a new availability changes them). */
const slotsChanged = (queryClient: ReturnType<typeof useQueryClient>) => queryClient.invalidateQueries({ queryKey: [...bookingKeys.all, 'announcement'] });

export const useAnnouncements = (coachId?: string) =>
  useQuery({
    queryKey: bookingKeys.announcements(coachId),
    queryFn: async ({ signal }) => (await api<{ announcements: Announcement[] }>('GET', bookingUrls.announcements(coachId), undefined, signal)).announcements,
  });

/** One offer with its next free slots (always fetched afresh: slots go quickly). */
export const useAnnouncement = (announcementId: string) =>
  useQuery({
    queryKey: bookingKeys.announcement(announcementId),
    queryFn: async ({ signal }) => (await api<{ announcement: AnnouncementWithSlots }>('GET', bookingUrls.announcement(announcementId), undefined, signal)).announcement,
    staleTime: 0,
  });

export const useReservations = (when: ReservationsWhen) =>
  useQuery({
    queryKey: bookingKeys.reservations(when),
    queryFn: async ({ signal }) => (await api<{ reservations: Reservation[] }>('GET', bookingUrls.reservations(when), undefined, signal)).reservations,
  });

export const useAvailability = (coachId: string) =>
  useQuery({
    queryKey: bookingKeys.availability(coachId),
    queryFn: async ({ signal }) => (await api<{ windows: AvailabilityWindow[] }>('GET', bookingUrls.availability(coachId), undefined, signal)).windows,
  });

/** A fresh room token each time the call dialog opens (never cached). */
export const useVideoToken = (reservationId: string) =>
  useQuery({
    queryKey: bookingKeys.videoToken(reservationId),
    queryFn: ({ signal }) => api<VideoToken>('GET', bookingUrls.videoToken(reservationId), undefined, signal),
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });

export const fetchVideoToken = (reservationId: string) => api<VideoToken>('GET', bookingUrls.videoToken(reservationId));

export const useRecordings = (reservationId: string) =>
  useQuery({
    queryKey: bookingKeys.recordings(reservationId),
    queryFn: async ({ signal }) => (await api<{ recordings: Recording[] }>('GET', bookingUrls.recordings(reservationId), undefined, signal)).recordings,
  });

export function useBook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { announcementId: string; coachId: string; startDate: string; endDate: string }) => api<{ reservation: Reservation }>('POST', bookingUrls.newReservation, body),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: bookingKeys.reservationLists() }), slotsChanged(queryClient)]),
  });
}

export function useCancelReservation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reservationId: string) => api('POST', bookingUrls.cancel(reservationId)),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: bookingKeys.reservationLists() }), slotsChanged(queryClient)]),
  });
}

export function useSetSessionDiscord(reservationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (discordUrl: string | null) => api<{ reservation: Reservation }>('PATCH', bookingUrls.reservation(reservationId), { discordUrl }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bookingKeys.reservationLists() }),
  });
}

/** Creates an offer (no id) or changes one. */
export function useSaveAnnouncement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ announcementId, body }: { announcementId: string | null; body: AnnouncementInput | AnnouncementUpdate }) =>
      announcementId
        ? api<{ announcement: Announcement }>('PATCH', bookingUrls.announcement(announcementId), body)
        : api<{ announcement: Announcement }>('POST', bookingUrls.newAnnouncement, body),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: bookingKeys.announcementLists() }), slotsChanged(queryClient)]),
  });
}

export function useSaveAvailability(coachId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (windows: AvailabilityWindow[]) => (await api<{ windows: AvailabilityWindow[] }>('PUT', bookingUrls.availability(coachId), { windows })).windows,
    onSuccess: (windows) => {
      queryClient.setQueryData(bookingKeys.availability(coachId), windows);
      return slotsChanged(queryClient);
    },
  });
}
