import { securedRoute } from "../../http/route.js";
import { dataOf } from "../../http/schemas.js";
import { Me } from "./schema.js";

export const getMe = securedRoute("me.read", {
  method: "get",
  path: "/v1/me",
  tags: ["Me and tenants"],
  summary: "The caller: user, client and plan limits",
  description:
    "Any person with an access token. `client` and `limits` are null for a SUPER_ADMIN who names no `?clientId=`. " +
    "`users.current` counts users that are not INACTIVE.",
  responses: {
    200: { description: "The caller.", content: { "application/json": { schema: dataOf(Me) } } },
  },
});
