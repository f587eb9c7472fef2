import type { SecuredRoute } from "../registry.js";

export const reportRoutes: SecuredRoute[] = [];
