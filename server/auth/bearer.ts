import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { AppError } from "../errors";

export interface VerifiedToken {
  sub: string;
  scopes: Set<string>;
  email?: string;
  name?: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/**
 * Verifies Auth0 access tokens: RS256 only, signed by a key of the issuer's JWKS, for our audience,
 * inside exp/nbf. Scopes are the union of the `scope` claim and Auth0's RBAC `permissions` claim.
 */
export function createJwtVerifier(config: { issuer: string; audience: string; jwksUrl: string }): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: 30_000,
    timeoutDuration: 5_000,
  });
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: ["RS256"],
          clockTolerance: 5,
          requiredClaims: ["sub", "exp"],
        }));
      } catch (error) {
        throw new AppError("unauthorized", describeTokenError(error), { cause: error });
      }
      if (typeof payload.sub !== "string" || payload.sub.length === 0) {
        throw new AppError("unauthorized", "The access token has no subject.");
      }
      return {
        sub: payload.sub,
        scopes: scopesOf(payload),
        email: typeof payload.email === "string" ? payload.email : undefined,
        name: typeof payload.name === "string" ? payload.name : undefined,
      };
    },
  };
}

export function scopesOf(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  if (typeof payload.scope === "string") for (const s of payload.scope.split(" ")) if (s) scopes.add(s);
  if (Array.isArray(payload.permissions)) {
    for (const p of payload.permissions) if (typeof p === "string" && p) scopes.add(p);
  }
  return scopes;
}

function describeTokenError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "The access token has expired.";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The access token's ${error.claim} claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The access token is not signed with RS256.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The access token's signature is not valid.";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "The access token was not signed by our identity provider.";
  return "The access token is not valid.";
}

export function bearerTokenOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? "";
}
