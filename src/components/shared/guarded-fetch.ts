import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { EngineServices } from '../../engine/component.js';
import { AllowList, BlockedAddressError, guardedLookup, isBlockedAddress } from './safe-fetch.js';

declare module '../../engine/component.js' {
  interface EngineServices {
    /** Model and MCP URLs may point at loopback (the host sets it with AUTO_LOGIN: one user, their own machine). */
    loopbackAllowed?: boolean;
  }
}

/**
 * A WHATWG `fetch` for model providers and MCP servers whose URL a user chooses (base URLs, Ollama's
 * URL, MCP server URLs): the URL component's SSRF guard on every connection — redirect hops
 * included, on the address actually connected to — with streaming bodies, which `safeFetch` (it
 * reads whole bodies) does not give. Loopback is allowed when the host says so (one user on their
 * own machine: AUTO_LOGIN), other private addresses only through LANGFLOW_ALLOWED_HOSTS.
 */

export interface OutboundPolicy {
  allowedHosts: string | string[] | undefined | null;
  /** Loopback (127.0.0.0/8, ::1, localhost) allowed: a local Ollama or stand-in on the user's own machine. */
  loopback: boolean;
}

const LOOPBACK = ['127.0.0.0/8', '::1', 'localhost'];

/**
 * The policy of a run's host (`ctx.services.allowedHosts`, `ctx.services.loopbackAllowed`). A run
 * without a host policy (component tests; `weft run` passes its settings' LANGFLOW_ALLOWED_HOSTS) keeps
 * loopback open and no other private address.
 */
export function outboundPolicyFrom(services: EngineServices): OutboundPolicy {
  return {
    allowedHosts: services.allowedHosts,
    loopback: services.loopbackAllowed !== false,
  };
}

function allowListOf(policy: OutboundPolicy): AllowList {
  const hosts = Array.isArray(policy.allowedHosts) ? policy.allowedHosts : (policy.allowedHosts ?? '').split(',');
  return new AllowList(policy.loopback ? [...hosts, ...LOOPBACK] : hosts);
}

function guardedAgent(allow: AllowList): Agent {
  return new Agent({
    connect(options, callback) {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      // An address literal never reaches `lookup`: check it here.
      if (isIP(host) && isBlockedAddress(host) && !allow.allowsAddress(host) && !allow.allowsHost(host)) {
        callback(new BlockedAddressError(options.hostname, host), null);
        return;
      }
      buildConnector({ lookup: guardedLookup(host, allow) })(options, callback);
    },
  });
}

/** One agent (and connection pool) per policy, for the life of the process. */
const fetchers = new Map<string, typeof fetch>();

export function guardedFetch(policy: OutboundPolicy): typeof fetch {
  const allow = allowListOf(policy);
  const key = JSON.stringify([policy.allowedHosts ?? null, policy.loopback]);
  let guarded = fetchers.get(key);
  if (!guarded) {
    const dispatcher = guardedAgent(allow);
    guarded = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher }).catch((error: unknown) => {
        // undici hides the connector's reason behind "fetch failed": surface the SSRF refusal.
        const cause = (error as { cause?: unknown }).cause;
        throw cause instanceof BlockedAddressError ? cause : error;
      })) as unknown as typeof fetch;
    fetchers.set(key, guarded);
  }
  return guarded;
}
