import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/auth-hook.js';
import type { Announcements } from './announcements.js';
import type { Reservations } from './reservations.js';
import {
  ZAnnouncement, ZAnnouncementInput, ZAnnouncementUpdate, ZAvailability, ZIdParams, ZListQuery, ZPackInput, ZReservation,
  ZReservationInput, ZReservationList, ZReservationUpdate, ZRescheduleInput, ZSlot, ZVideoToken,
} from '../../shared/api/bookings.js';
import type { VideoAccess } from './video-access.js';

const ZErrorBody = z.object({ error: z.string(), code: z.string(), message: z.string(), details: z.unknown().optional() });

/** Offers, availability, reservations, packs and joining the video room. */
export async function bookingRoutes(app: FastifyInstance, deps: { announcements: Announcements; reservations: Reservations; video: VideoAccess }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['coaching sessions'];
  const { announcements, reservations, video } = deps;

  r.get('/api/announcements', {
    schema: { tags, summary: "Coaches' offers in my organization", querystring: z.object({ coachId: z.string().max(64).optional() }), response: { 200: z.object({ announcements: z.array(ZAnnouncement) }) } },
  }, async (request) => ({ announcements: await announcements.list(actorOf(request), { coachId: request.query.coachId }) }));

  r.post('/api/announcements', {
    config: { roles: ['coach', 'admin'] },
    schema: { tags, summary: 'Publish an offer (a coach for themself; an admin for a coach)', body: ZAnnouncementInput.extend({ coachId: z.string().max(64).optional() }), response: { 201: z.object({ announcement: ZAnnouncement }) } },
  }, async (request, reply) => reply.status(201).send({ announcement: await announcements.create(actorOf(request), request.body) }));

  r.get('/api/announcements/:id', {
    schema: { tags, summary: 'One offer with its next bookable slots', params: ZIdParams, response: { 200: z.object({ announcement: ZAnnouncement.extend({ slots: z.array(ZSlot) }) }) } },
  }, async (request) => ({ announcement: await announcements.get(actorOf(request), request.params.id) }));

  r.patch('/api/announcements/:id', {
    config: { roles: ['coach', 'admin'] },
    schema: { tags, summary: 'Change or deactivate an offer', params: ZIdParams, body: ZAnnouncementUpdate, response: { 200: z.object({ announcement: ZAnnouncement }) } },
  }, async (request) => ({ announcement: await announcements.update(actorOf(request), request.params.id, request.body) }));

  r.get('/api/coaches/:id/availability', {
    schema: { tags, summary: "A coach's weekly availability", params: ZIdParams, response: { 200: ZAvailability } },
  }, async (request) => ({ windows: await announcements.availability(actorOf(request), request.params.id) }));

  r.put('/api/coaches/:id/availability', {
    config: { roles: ['coach', 'admin'] },
    schema: { tags, summary: 'Replace a coach’s weekly availability (the coach, or an admin)', params: ZIdParams, body: ZAvailability, response: { 200: ZAvailability } },
  }, async (request) => ({ windows: await announcements.setAvailability(actorOf(request), request.params.id, request.body.windows) }));

  r.post('/api/reservations', {
    schema: {
      tags,
      summary: 'Book a slot (409 when it overlaps a session of the coach or mine; 400 when past or outside availability)',
      body: ZReservationInput,
      response: { 201: z.object({ reservation: ZReservation }), 409: ZErrorBody },
    },
  }, async (request, reply) => reply.status(201).send({ reservation: await reservations.book(actorOf(request), request.body) }));

  r.post('/api/packs', {
    schema: { tags, summary: 'Buy a pack of N sessions: N reservations, each with its own room (all or nothing)', body: ZPackInput, response: { 201: z.object({ packId: z.string(), reservations: z.array(ZReservation) }) } },
  }, async (request, reply) => reply.status(201).send(await reservations.buyPack(actorOf(request), request.body)));

  r.get('/api/reservations', {
    schema: { tags, summary: 'My sessions as coach or player (the whole organization for admins)', querystring: ZListQuery, response: { 200: ZReservationList } },
  }, async (request) => ({ reservations: await reservations.list(actorOf(request), request.query.when) }));

  r.get('/api/reservations/:id', {
    schema: { tags, summary: 'One reservation', params: ZIdParams, response: { 200: z.object({ reservation: ZReservation }) } },
  }, async (request) => ({ reservation: await reservations.get(actorOf(request), request.params.id) }));

  r.patch('/api/reservations/:id', {
    schema: { tags, summary: "Set this session's Discord link (its coach only; null = the offer's link)", params: ZIdParams, body: ZReservationUpdate, response: { 200: z.object({ reservation: ZReservation }) } },
  }, async (request) => ({ reservation: await reservations.setDiscordUrl(actorOf(request), request.params.id, request.body.discordUrl) }));

  r.post('/api/reservations/:id/cancel', {
    schema: { tags, summary: 'Cancel (not once started: 409)', params: ZIdParams, response: { 200: z.object({ reservation: ZReservation }) } },
  }, async (request) => ({ reservation: await reservations.cancel(actorOf(request), request.params.id) }));

  r.post('/api/reservations/:id/reschedule', {
    schema: { tags, summary: 'Move a session (same rules as booking; not once started)', params: ZIdParams, body: ZRescheduleInput, response: { 200: z.object({ reservation: ZReservation }) } },
  }, async (request) => ({ reservation: await reservations.reschedule(actorOf(request), request.params.id, request.body) }));

  for (const path of ['/api/reservations/:id/video-token', '/api/reservations/:id/daily-token']) {
    r.get(path, {
      schema: {
        tags,
        summary: 'A fresh room token for the coach (owner) or the player. 403 anyone else; 409 cancelled, more than 15 min early, or after the room expired.',
        params: ZIdParams,
        response: { 200: ZVideoToken },
      },
    }, async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return video.token(actorOf(request), request.params.id);
    });
  }
}
