/** Tokens: `POST /tokens` (login), and the 401 every other call gets without an accepted token. */
import type { FakeAnswer, FakeCall } from '@mlclients/package-core/testing';
import { missing, ok, TOKEN_FIELDS, unauthenticated } from '../answers.js';
import type { HubContext, HubHandler } from '../context.js';

/** Calls of the optimizers service (its 401 is worded differently and names the field). */
const OPTIMIZER_OPERATIONS = new Set(['getNextTrials', 'getNextTrialsV2', 'getFte']);

/** 401 unless the call carries an accepted token (`createToken` needs none). */
export function authError(call: FakeCall, ctx: HubContext): FakeAnswer | undefined {
  if (call.operationId === 'createToken') return undefined;
  const present = TOKEN_FIELDS.map((f) => call.body[f]).filter(
    (v) => v !== undefined && v !== null && v !== '',
  );
  const rejected =
    present.length === 0
      ? ctx.options.requireToken !== false
      : ctx.acceptedTokens !== undefined && !present.some((t) => ctx.acceptedTokens!.has(String(t)));
  if (!rejected) return undefined;
  return OPTIMIZER_OPERATIONS.has(call.operationId)
    ? unauthenticated('authentication required', 'token') // optimizers_service/get_next_trials_invalid_token
    : unauthenticated(); // auth/token_invalid
}

export const authHandlers: Record<string, HubHandler> = {
  createToken(call, ctx) {
    const absent = missing(call.body, ['email', 'password']);
    if (absent) return absent;
    const { email, password } = call.body;
    const known = ctx.options.users?.some((u) => u.email === email && u.password === password);
    if (ctx.options.users ? !known : password === 'wrong')
      return unauthenticated('Email or password incorrect');
    const token = `fake-user-token.${globalThis.crypto.randomUUID()}`;
    ctx.acceptedTokens?.add(token);
    return ok({ token, confirmation_required: false });
  },
};
