import type { SecuredRoute } from "../registry.js";

export const adAccountRoutes: SecuredRoute[] = [];
