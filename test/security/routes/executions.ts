import type { SecuredRoute } from "../registry.js";

export const executionRoutes: SecuredRoute[] = [];
