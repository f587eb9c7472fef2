// A person invited before they ever signed in has no Authorizer id yet, but the seed layout makes
// users."authorizerId" NOT NULL and unique. Invitations therefore hold a placeholder with this
// prefix (never a real Authorizer id, which are UUIDs); Authorizer's signup webhook replaces it.
export const INVITED_AUTHORIZER_PREFIX = "pending:";

export const invitedAuthorizerId = (userId: string) => `${INVITED_AUTHORIZER_PREFIX}${userId}`;

export const isInvitation = (authorizerId: string) => authorizerId.startsWith(INVITED_AUTHORIZER_PREFIX);
