import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../platform/auth-hook.js';
import { AppError } from '../../platform/errors.js';
import type { Users } from '../accounts/users.js';
import type { CoachSettings } from './coach-prompt.js';
import type { CreditLedger } from './credit-ledger.js';
import { ZAdjustCredits, ZAdjustResponse, ZCoachPrompt, ZCoachPromptResponse, ZCreditsResponse, ZUserIdParams } from '../../shared/api/chat.js';

interface Deps {
  users: Users;
  credits: CreditLedger;
  coach: CoachSettings;
}

/** Admin-only: a user's credits and ledger, adjustments, and the organization's coach prompt. */
export async function adminCreditRoutes(app: FastifyInstance, { users, credits, coach }: Deps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['chat admin'];
  const config = { roles: ['admin' as const] };

  r.get('/api/admin/users/:id/credits', {
    config,
    schema: { tags, summary: "A user's chat credits and ledger, newest first (admin, same organization)", params: ZUserIdParams, response: { 200: ZCreditsResponse } },
  }, async (request) => {
    // users.get answers 404 for a user of another organization.
    const user = await users.get(actorOf(request), request.params.id);
    const state = await credits.state(user.id);
    return { userId: user.id, credits: state, entries: await credits.entries(user.id, 200) };
  });

  r.post('/api/admin/users/:id/credits/adjust', {
    config,
    schema: { tags, summary: "Adjust a user's credits for this month (admin): signed amount and a reason", params: ZUserIdParams, body: ZAdjustCredits, response: { 200: ZAdjustResponse } },
  }, async (request) => {
    const actor = actorOf(request);
    const user = await users.get(actor, request.params.id);
    if (request.body.kind === 'refund' && request.body.amount < 0) {
      throw new AppError('VALIDATION_FAILED', 'Invalid amount: a refund must be positive', { field: 'amount' });
    }
    const { entry, state } = await credits.adjust({ userId: user.id, ...request.body, actorUserId: actor.userId });
    return { entry, credits: state };
  });

  r.get('/api/admin/chat/coach-prompt', {
    config,
    schema: { tags, summary: "The organization's coach prompt (null = built-in coach)", response: { 200: ZCoachPromptResponse } },
  }, async (request) => coach.get(actorOf(request).organizationId));

  r.put('/api/admin/chat/coach-prompt', {
    config,
    schema: { tags, summary: "Set the organization's coach prompt; the ethical rules always apply on top", body: ZCoachPrompt, response: { 200: ZCoachPromptResponse } },
  }, async (request) => coach.set(actorOf(request).organizationId, request.body.coachPrompt));
}
