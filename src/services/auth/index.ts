export type { AuthContext } from './context.js';
export { AuthError, AUTH_TEXTS } from './errors.js';
export { hashPassword, verifyPassword } from './passwords.js';
export {
  createTokenPair,
  decodeToken,
  logout,
  logoutToken,
  refreshTokens,
  signToken,
  userFromAccessToken,
  type TokenClaims,
  type TokenPair,
  type TokenSubject,
  type TokenType,
} from './tokens.js';
export { createApiKey, generateApiKey, hashApiKey, listApiKeys, maskApiKey, toApiKeyRead, ownerOfApiKey, type ApiKeyRead } from './api-keys.js';
export { checkApiKey, presentedApiKey } from './api-key-check.js';
export { bearerToken, currentActiveUser, currentMcpUser, currentSuperuser, type PresentedCredentials } from './current-user.js';
export { authenticate, autoLogin, login, type LoginContext } from './login.js';
export { ensureDefaultProject, registerUser, requireSuperuser, USERNAME_UNAVAILABLE, type UserRegistration } from './users.js';
export { bootstrapSuperuser } from './superuser.js';
export { createLoginLimiter, LoginLimiter, TooManyLoginFailuresError, type LoginFailureStore } from './login-limiter.js';
