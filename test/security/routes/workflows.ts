import type { SecuredRoute } from "../registry.js";

export const workflowRoutes: SecuredRoute[] = [];
