/** An authentication or authorisation failure the HTTP layer turns into `{"detail": ...}` with `status`. */
export class AuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    /** Usually text; Langflow sends an object for a few (auto login disabled). */
    readonly detail: string | Record<string, unknown>,
    /** 401s from the Bearer path carry `WWW-Authenticate: Bearer`, as Langflow's do. */
    readonly headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.name = 'AuthError';
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
