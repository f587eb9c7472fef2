import { securedRoute } from "../../http/route.js";
import { IdParam, dataOf, listOf } from "../../http/schemas.js";
import { CreateUser, UpdateUser, UserListQuery, UserSchema } from "./schema.js";

const ROLE_RULES =
  "Nobody grants a role above their own, and an ADMIN cannot change a user whose role is above theirs (403 `forbidden`). " +
  "SUPER_ADMIN is not a role of a client's member: it is refused here (400), whoever asks.";

export const listUsers = securedRoute("users.list", {
  method: "get",
  path: "/v1/users",
  tags: ["Users"],
  summary: "List the client's users (newest first)",
  description: "Every member reads. Deactivated users (INACTIVE) are listed too; filter with `?status=`.",
  request: { query: UserListQuery },
  responses: {
    200: { description: "A page of users.", content: { "application/json": { schema: listOf(UserSchema) } } },
  },
});

export const createUser = securedRoute("users.create", {
  method: "post",
  path: "/v1/users",
  tags: ["Users"],
  summary: "Add a user to the client, or invite one",
  description:
    "Without `authorizerId` the person is invited: status PENDING_VERIFICATION (`invited: true`) until Authorizer reports a " +
    "verified signup of this email, which links the account and makes it ACTIVE. With `authorizerId` the user is ACTIVE at once. " +
    "Emails are stored lowercase; an email or `authorizerId` already used → 409 `conflict`. Counts against `maxUsers` " +
    "(users that are not INACTIVE): 409 `limit_reached` with `resource`, `current` and `max` in `details`. " +
    ROLE_RULES,
  request: { body: { required: true, content: { "application/json": { schema: CreateUser } } } },
  responses: {
    201: { description: "Created.", content: { "application/json": { schema: dataOf(UserSchema) } } },
  },
  errors: [409],
});

export const getUser = securedRoute("users.read", {
  method: "get",
  path: "/v1/users/{id}",
  tags: ["Users"],
  summary: "A user of the client",
  request: { params: IdParam },
  responses: {
    200: { description: "The user.", content: { "application/json": { schema: dataOf(UserSchema) } } },
  },
});

export const updateUser = securedRoute("users.update", {
  method: "patch",
  path: "/v1/users/{id}",
  tags: ["Users"],
  summary: "Change a user's name, role or status (ACTIVE or SUSPENDED)",
  description:
    ROLE_RULES +
    "\n\nNobody changes their own role or status (409 `conflict`: ask another administrator). Suspending a user also ends their " +
    "outstanding tokens. Reactivating an INACTIVE user counts against `maxUsers` (409 `limit_reached`). The status of an " +
    "invitation or of a user awaiting email verification is Authorizer's to settle (409 `conflict`).",
  request: {
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: UpdateUser } } },
  },
  responses: {
    200: { description: "The changed user.", content: { "application/json": { schema: dataOf(UserSchema) } } },
  },
  errors: [409],
});

export const deleteUser = securedRoute("users.delete", {
  method: "delete",
  path: "/v1/users/{id}",
  tags: ["Users"],
  summary: "Deactivate a user (status INACTIVE; history is kept)",
  description:
    "The user's outstanding tokens stop working at once on this isolate, within 30 seconds everywhere. Deactivating twice is " +
    "harmless. Deactivating yourself → 409 `conflict` (it would lock you out mid-request and could leave the client without an " +
    "administrator: ask another one). An ADMIN cannot deactivate a user whose role is above theirs (403).",
  request: { params: IdParam },
  responses: {
    200: { description: "The deactivated user.", content: { "application/json": { schema: dataOf(UserSchema) } } },
  },
  errors: [409],
});
