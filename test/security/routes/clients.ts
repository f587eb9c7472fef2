import type { SecuredRoute } from "../registry.js";

export const clientRoutes: SecuredRoute[] = [];
