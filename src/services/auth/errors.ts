import { WeftError, type WeftErrorOptions } from '../../engine/errors.js';

/** The codes an authentication or authorisation failure may carry. */
export type AuthErrorCode = 'invalid_request' | 'unauthenticated' | 'forbidden';

/**
 * An authentication or authorisation failure, with Langflow's detail. An `unauthenticated` one names
 * the Bearer scheme, as Langflow's OAuth2 dependencies do (`WWW-Authenticate: Bearer`).
 */
export class AuthError extends WeftError {
  declare readonly detail: string | Record<string, unknown>;

  constructor(
    code: AuthErrorCode,
    /** Usually text; Langflow sends an object for a few (auto login disabled). */
    detail: string | Record<string, unknown>,
    options: Omit<WeftErrorOptions, 'detail'> = code === 'unauthenticated' ? { challenge: 'Bearer' } : {},
  ) {
    super(code, typeof detail === 'string' ? detail : JSON.stringify(detail), { ...options, detail });
  }
}

export const AUTH_TEXTS = {
  couldNotValidate: 'Could not validate credentials',
  tokenExpired: 'Token has expired.',
  tokenInvalid: 'Token is invalid.',
  userNotFoundOrInactive: 'User not found or is inactive.',
  invalidRefreshToken: 'Invalid refresh token',
  incorrectCredentials: 'Incorrect username or password',
  waitingForApproval: 'Waiting for approval',
  inactiveUser: 'Inactive user',
  notEnoughPrivileges: "The user doesn't have enough privileges",
  autoLoginNeedsApiKey:
    'Since v1.5, LANGFLOW_AUTO_LOGIN requires a valid API key. Set LANGFLOW_SKIP_AUTH_AUTO_LOGIN=true to skip this check. Please note that this will be deprecated in a future version.',
  apiKeyRequired: 'An API key must be passed as query or header',
  invalidApiKey: 'Invalid or missing API key',
  missingSuperuser: 'Missing first superuser credentials',
} as const;
