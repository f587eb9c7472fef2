// The route builder every secured endpoint uses. `securedRoute(action, config)` adds what each of
// them needs — bearer security in the document, the guard that authenticates and authorizes the
// policy action, SUPER_ADMIN's `?clientId=`, and the error responses the guard and validators can
// produce — so a route file states only what is particular to it. `handle(route, fn)` hands the
// handler a caller typed by what the action allows (people only → a UserPrincipal; a required
// tenant → a string), so handlers need no `!` or casts.
import { createRoute, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import { guard } from "../auth/guard.js";
import { POLICY, type Action, type ApiKeyScope, type UserRole } from "../auth/policy.js";
import type { ApiKeyPrincipal, Principal, UserPrincipal } from "../auth/principal.js";
import type { TenantScope } from "../db/tenant.js";
import { internal, type ErrorStatus } from "../lib/errors.js";
import type { AppEnv } from "./context.js";
import { errorResponses } from "./openapi.js";
import { TenantQuery } from "./schemas.js";
import type { Tag } from "./tags.js";

const ACTION = Symbol("action");

type Rule<A extends Action> = (typeof POLICY)[A];

/** Who can reach a handler of action A: people, machines, or both. */
export type PrincipalFor<A extends Action> =
  Rule<A> extends { scope: ApiKeyScope } ? (Rule<A> extends { role: UserRole } ? Principal : ApiKeyPrincipal) : UserPrincipal;

/** The tenant a handler of action A acts on: always one, unless the action says it is optional. */
export type TenantFor<A extends Action> = Rule<A> extends { tenant: "optional" } ? string | null : string;

export interface Caller<A extends Action> {
  principal: PrincipalFor<A>;
  tenantId: TenantFor<A>;
  /** For tenantBatch: the tenant, and the person (null for an API key). */
  scope: TenantScope & { clientId: TenantFor<A> };
}

type Extra = 404 | 409 | 413 | 415 | 429;

export type SecuredRouteConfig = Omit<RouteConfig, "middleware" | "security" | "tags"> & {
  tags: [Tag, ...Tag[]];
  /** Error statuses particular to this route (401, 403, 503 and the validators' 400 are always added). */
  errors?: Extra[];
};

export type SecuredRoute<A extends Action, R extends SecuredRouteConfig = SecuredRouteConfig> = ReturnType<
  typeof createRoute<R["path"], R>
> & {
  readonly [ACTION]: A;
};

export function securedRoute<const A extends Action, const R extends SecuredRouteConfig>(action: A, config: R): SecuredRoute<A, R> {
  const { errors = [], ...rest } = config;
  const body = Boolean(config.request?.body);
  const statuses = new Set<ErrorStatus>([400, 401, 403, ...errors, 503]);
  if (body) statuses.add(413).add(415);
  // A route with an id in its path, or a SUPER_ADMIN naming a missing client, can answer 404.
  if (config.path.includes("{") || (POLICY[action] as { tenant?: string }).tenant !== "optional") statuses.add(404);
  const query = config.request?.query;
  const route = createRoute({
    ...rest,
    security: [{ bearer: [] }],
    middleware: [guard(action)] as const,
    request: {
      ...config.request,
      // Every secured route takes SUPER_ADMIN's ?clientId= (the guard reads it).
      query: query && "extend" in query ? (query as typeof TenantQuery).extend(TenantQuery.shape) : (query ?? TenantQuery),
    },
    responses: {
      ...config.responses,
      ...errorResponses(...([...statuses].sort() as Parameters<typeof errorResponses>)),
    },
  } as unknown as R);
  // Not enumerable: the OpenAPI generator copies a route's own enumerable keys into the document.
  Object.defineProperty(route, ACTION, { value: action, enumerable: false });
  return route as unknown as SecuredRoute<A, R>;
}

type HandlerContext<R extends RouteConfig> = Parameters<RouteHandler<R, AppEnv>>[0];
type HandlerResult<R extends RouteConfig> = ReturnType<RouteHandler<R, AppEnv>>;

/** A handler for a secured route, given the caller the route's action allows. */
export function handle<A extends Action, R extends SecuredRoute<A>>(
  route: R & SecuredRoute<A>,
  fn: (c: HandlerContext<R>, caller: Caller<A>) => HandlerResult<R>,
): RouteHandler<R, AppEnv> {
  const action = route[ACTION];
  const rule = POLICY[action] as { role?: UserRole; scope?: ApiKeyScope; tenant?: "optional" };
  return (c) => {
    const principal = c.get("principal");
    const tenantId = c.get("tenantId") ?? null;
    // The guard already enforced both; these only make the types true at runtime too.
    if (!principal || (principal.kind === "user" ? !rule.role : !rule.scope)) throw internal(new Error(`${action}: guard did not run`));
    if (tenantId === null && rule.tenant !== "optional") throw internal(new Error(`${action}: no tenant resolved`));
    const caller = {
      principal,
      tenantId,
      scope: { clientId: tenantId, userId: principal.kind === "user" ? principal.userId : null },
    } as Caller<A>;
    return fn(c as HandlerContext<R>, caller);
  };
}
