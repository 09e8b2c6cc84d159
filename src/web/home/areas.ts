import { AudioLines, CalendarClock, Drama, MessagesSquare, Mic, ShieldCheck, Tablet, Video, type LucideIcon } from 'lucide-react';
import type { Role } from '../api/types.js';
import type { MessageKey } from '../i18n/fr.js';

export type AreaId = 'voice' | 'simulator' | 'chat' | 'interviews' | 'sessions' | 'offers' | 'kiosk' | 'admin';

export interface Area {
  id: AreaId;
  icon: LucideIcon;
  title: MessageKey;
  description: MessageKey;
  /** The page of the area, or null while it is not built yet (shown as "coming soon"). */
  path: string | null;
}

/**
 * The product's areas (DESIGN.md). When a feature ships its page, set its `path` here —
 * the home page then links to it instead of showing "coming soon".
 */
const AREAS: Record<AreaId, Omit<Area, 'description'> & { description: MessageKey | Record<Role, MessageKey> }> = {
  voice: { id: 'voice', icon: AudioLines, title: 'area.voice.title', description: 'area.voice.description', path: '/voice' },
  chat: { id: 'chat', icon: MessagesSquare, title: 'area.chat.title', description: 'area.chat.description', path: '/chat' },
  simulator: { id: 'simulator', icon: Drama, title: 'area.simulator.title', description: 'area.simulator.description', path: null },
  interviews: { id: 'interviews', icon: Mic, title: 'area.interviews.title', description: 'area.interviews.description', path: null },
  sessions: {
    id: 'sessions',
    icon: Video,
    title: 'area.sessions.title',
    description: { member: 'area.sessions.description.member', coach: 'area.sessions.description.coach', admin: 'area.sessions.description.admin' },
    path: '/sessions',
  },
  offers: { id: 'offers', icon: CalendarClock, title: 'area.offers.title', description: 'area.offers.description', path: '/offers' },
  kiosk: { id: 'kiosk', icon: Tablet, title: 'area.kiosk.title', description: 'area.kiosk.description', path: null },
  admin: { id: 'admin', icon: ShieldCheck, title: 'area.admin.title', description: 'area.admin.description', path: '/admin' },
};

/** Which areas each role sees on its home page, in order. */
const BY_ROLE: Record<Role, AreaId[]> = {
  admin: ['admin', 'voice', 'chat', 'simulator', 'interviews', 'sessions', 'kiosk'],
  coach: ['sessions', 'offers', 'simulator', 'chat', 'voice'],
  member: ['voice', 'chat', 'simulator', 'interviews', 'sessions'],
};

export function areasFor(role: Role): Area[] {
  return BY_ROLE[role].map((id) => {
    const area = AREAS[id];
    return { ...area, description: typeof area.description === 'string' ? area.description : area.description[role] };
  });
}
