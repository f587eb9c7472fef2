import { resourceRouter } from "../../http/router.js";
import { create, list, revoke } from "./handlers.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./routes.js";

export const apiKeyRoutes = resourceRouter().openapi(listApiKeys, list).openapi(createApiKey, create).openapi(revokeApiKey, revoke);
