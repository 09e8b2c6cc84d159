import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor } from '../../../src/platform/actor.js';
import { makeOrganization, makeUser, signedInUser, type TestApp } from '../test-app.js';
import type { RefName } from './values.js';

const DAY = 86_400_000;
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440, timeZone: 'UTC' }));

/** `days` from today at `hour`:00 UTC. */
function utcAt(days: number, hour: number): Date {
  const d = new Date();
  d.setUTCHours(hour, 0, 0, 0);
  return new Date(d.getTime() + days * DAY);
}

const userActor = (user: { id: string; organizationId: string; role: 'admin' | 'coach' | 'member' }): Actor & { userId: string } => ({
  kind: 'user',
  organizationId: user.organizationId,
  userId: user.id,
  role: user.role,
});

/** A tiny WebM header: enough for the storage to keep as a recording. */
const WEBM = Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d', 'hex');

export interface FuzzActor {
  name: 'anonymous' | 'member' | 'admin' | 'apiKey' | 'cookie';
  headers: Record<string, string>;
  /** The actor's own user id (`self` refs); an API key has none. */
  userId: string | null;
}

export interface FuzzWorld {
  /** Real ids and strings the generated requests may point at. */
  refs: Record<Exclude<RefName, 'self'>, string>;
  /** The seeded organization's ids and distinctive strings: no other actor may ever read one. */
  secrets: string[];
  victimOrganizationId: string;
  /** The seeded organization's member, for the "still works" request after the run. */
  victimMember: { headers: Record<string, string>; userId: string; chatSessionId: string };
  /** The actors of ANOTHER organization (and nobody) that the fuzzer sends as. */
  actors: FuzzActor[];
  /**
   * Signs the cookie actor in again when a generated request ended its session (sign-out,
   * revoke-sessions); what went wrong if that failed.
   */
  revive(): Promise<string | null>;
}

async function chatWithMessages(t: TestApp, user: { id: string; organizationId: string }, title: string, messages: string[]) {
  const session = await t.ctx.services.chat.sessions.create({ organizationId: user.organizationId, userId: user.id, title, locale: 'fr' });
  const ids: string[] = [];
  for (const message of messages) {
    const prepared = await t.ctx.services.chat.sendMessage.prepare({ organizationId: user.organizationId, userId: user.id, sessionId: session.id, message });
    const result = await prepared.run({ signal: new AbortController().signal });
    ids.push(result.userMessage.id, result.assistantMessage.id);
  }
  return { sessionId: session.id, messageIds: ids };
}

/** An organization with a coach (offer, availability), a player booked with them, a chat, a transcript and an API key. */
async function seedOrganization(t: TestApp, label: string, people: { member: string; coach: string; admin: string }, text: { chat: string[]; title: string; transcript: string; prompt: string; offer: string }) {
  const s = t.ctx.services;
  const org = await makeOrganization(t.ctx, { name: `${label} Organization`, slug: `${label.toLowerCase()}-${randomBytes(3).toString('hex')}` });
  const admin = await signedInUser(t, { organizationId: org.id, role: 'admin', name: people.admin, plan: 'PREMIUM' });
  const member = await signedInUser(t, { organizationId: org.id, role: 'member', name: people.member, plan: 'BASIC', locale: 'en', timeZone: 'Europe/Paris' });
  const coach = await makeUser(t.ctx, { organizationId: org.id, role: 'coach', name: people.coach });

  const chat = await chatWithMessages(t, member.user, text.title, text.chat);
  await s.chat.credits.adjust({ userId: member.user.id, amount: 7, reason: `${label} goodwill`, kind: 'adjust', actorUserId: admin.user.id });
  await s.chat.coach.set(org.id, text.prompt);

  const conversation = await s.conversations.start({ organizationId: org.id, userId: member.user.id, kind: 'interview', title: `${label} mock interview` });
  await s.conversations.saveItem(conversation.id, { itemId: `item-${randomBytes(6).toString('hex')}`, role: 'assistant', type: 'message', text: text.transcript, startMs: 0, endMs: 1200, status: 'completed' });
  await s.conversations.saveItem(conversation.id, { itemId: `item-${randomBytes(6).toString('hex')}`, role: 'user', type: 'message', text: `${text.transcript} (answer)`, startMs: 1300, endMs: 2500, status: 'completed' });

  const coachActor = userActor(coach.user);
  await s.announcements.setAvailability(coachActor, coach.user.id, ALL_WEEK);
  const offer = await s.announcements.create(coachActor, { title: text.offer, description: `${text.offer}, in depth`, durationMs: 3_600_000, priceCents: 4200, currency: 'EUR', language: 'fr', discordUrl: 'https://discord.gg/coachhub' });
  const start = utcAt(3, 10);
  const reservation = await s.reservations.book(userActor(member.user), { announcementId: offer.id, coachId: coach.user.id, startDate: start.toISOString(), endDate: new Date(start.getTime() + 3_600_000).toISOString() });
  const recording = await s.recordings.upload(coachActor, reservation.id, { stream: Readable.from([WEBM]), contentType: 'video/webm' });
  const { key, apiKey } = await s.apiKeys.create({ organizationId: org.id, name: `${label} LMS integration`, scopes: ['admin'], createdByUserId: admin.user.id });
  return { org, admin, member, coach, chat, conversation, offer, reservation, recording, key, apiKey };
}

/**
 * The world of the fuzz test: a realistic organization (the victim) whose ids and distinctive
 * strings must never reach anyone else, and another organization whose member, admin, API key
 * and cookie session send the generated requests (with some rows of their own to aim at).
 */
export async function seedFuzzWorld(t: TestApp): Promise<FuzzWorld> {
  const v = await seedOrganization(
    t,
    'Acme',
    { member: 'Oriane Vasquez-Thibodeaux', coach: 'Bartholomew Quennell-Okafor', admin: 'Ysolde Marchetti-Lindqvist' },
    {
      title: 'Sicilienne Najdorf du mardi',
      chat: ['Comment préparer la variante Najdorf quokka-7731 contre un joueur agressif ?', 'Et si mon adversaire joue 6.Fg5 zebrafish-4410 ?'],
      transcript: 'Tell me about the pelican-9921 migration you led at Initech',
      prompt: 'You are the Acme coach; always mention the lighthouse-5183 protocol.',
      offer: 'Revue marmotte-2208 de vos parties',
    },
  );
  const a = await seedOrganization(
    t,
    'Globex',
    { member: 'Gina Globex', coach: 'Carl Globex', admin: 'Greta Globex' },
    { title: 'Globex chat', chat: ['Hello coach'], transcript: 'Globex interview line', prompt: 'Globex coach prompt', offer: 'Globex offer' },
  );
  const spare = await makeUser(t.ctx, { organizationId: a.org.id, role: 'member', name: 'Globex Spare' });
  const cookieUser = await makeUser(t.ctx, { organizationId: a.org.id, role: 'member', name: 'Globex Browser' });
  const signInCookie = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in/email', payload: { email: cookieUser.user.email, password: cookieUser.password } });
    if (res.statusCode !== 200) throw new Error(`cookie sign-in: ${res.statusCode} ${res.body}`);
    return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  };
  const cookieActor: FuzzActor = { name: 'cookie', headers: { cookie: await signInCookie(), origin: 'http://localhost:3000' }, userId: cookieUser.user.id };
  const spareKey = await t.ctx.services.apiKeys.create({ organizationId: a.org.id, name: 'Globex spare key', scopes: ['admin'] });

  const roomName = (await t.ctx.services.reservations.forParticipant(userActor(v.member.user), v.reservation.id)).row.roomName ?? v.reservation.id;
  const refs: FuzzWorld['refs'] = {
    'victim.org': v.org.id,
    'victim.admin': v.admin.user.id,
    'victim.member': v.member.user.id,
    'victim.coach': v.coach.user.id,
    'victim.chatSession': v.chat.sessionId,
    'victim.chatMessage': v.chat.messageIds[0]!,
    'victim.conversation': v.conversation.id,
    'victim.announcement': v.offer.id,
    'victim.reservation': v.reservation.id,
    'victim.recording': v.recording.id,
    'victim.apiKey': v.apiKey.id,
    'victim.email': v.member.user.email,
    'victim.coachEmail': v.coach.user.email,
    'victim.name': v.member.user.name,
    'victim.chatTitle': 'Sicilienne Najdorf du mardi',
    'victim.roomName': roomName,
    'attacker.org': a.org.id,
    'attacker.spare': spare.user.id,
    'attacker.coach': a.coach.user.id,
    'attacker.chatSession': a.chat.sessionId,
    'attacker.conversation': a.conversation.id,
    'attacker.announcement': a.offer.id,
    'attacker.reservation': a.reservation.id,
    'attacker.recording': a.recording.id,
    'attacker.apiKey': spareKey.apiKey.id,
  };
  const secrets = [
    v.org.id,
    v.org.slug,
    v.admin.user.id,
    v.member.user.id,
    v.coach.user.id,
    v.admin.user.email,
    v.member.user.email,
    v.coach.user.email,
    ...['Oriane Vasquez', 'Quennell-Okafor', 'Marchetti-Lindqvist', 'Najdorf', 'quokka-7731', 'zebrafish-4410', 'pelican-9921', 'lighthouse-5183', 'marmotte-2208', 'Acme goodwill', 'Acme LMS'],
    v.chat.sessionId,
    ...v.chat.messageIds,
    v.conversation.id,
    v.offer.id,
    v.reservation.id,
    v.recording.id,
    roomName,
    v.apiKey.id,
    v.apiKey.prefix,
    v.key,
  ];
  return {
    refs,
    secrets: [...new Set(secrets)],
    victimOrganizationId: v.org.id,
    victimMember: { headers: v.member.headers, userId: v.member.user.id, chatSessionId: v.chat.sessionId },
    actors: [
      { name: 'anonymous', headers: {}, userId: null },
      { name: 'member', headers: a.member.headers, userId: a.member.user.id },
      { name: 'admin', headers: a.admin.headers, userId: a.admin.user.id },
      { name: 'apiKey', headers: { authorization: `Bearer ${a.key}` }, userId: null },
      cookieActor,
    ],
    revive: async () => {
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: cookieActor.headers });
      if (me.statusCode >= 500) return `GET /api/me as the cookie actor: ${me.statusCode} ${me.body.slice(0, 200)}`;
      if (me.statusCode !== 401) return null;
      try {
        cookieActor.headers.cookie = await signInCookie();
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
  };
}
