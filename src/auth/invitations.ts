// A person invited before they ever signed in has no Authorizer id yet, but the seed layout makes
// users."authorizerId" NOT NULL and unique. Invitations therefore hold a placeholder with this
// prefix (never a real Authorizer id, which are UUIDs); Authorizer's signup webhook replaces it.
export const INVITED_AUTHORIZER_PREFIX = "pending:";

export const invitedAuthorizerId = (userId: string) => `${INVITED_AUTHORIZER_PREFIX}${userId}`;

export const isInvitation = (authorizerId: string) => authorizerId.startsWith(INVITED_AUTHORIZER_PREFIX);

/**
 * Whether `sub` can be an Authorizer user id. Authorizer issues UUIDs; the local stand-in and the
 * demo data use ids like `auth-<cuid>`. The accepted shape is deliberately narrow (letters, digits,
 * `.`, `_`, `-`; no `:`), so an invitation placeholder, or anything else Authorizer never issues, can
 * never be presented as a subject, in a token or in a webhook.
 */
export const AUTHORIZER_SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const isAuthorizerSubject = (sub: string) => AUTHORIZER_SUBJECT.test(sub) && !isInvitation(sub);
