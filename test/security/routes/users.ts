import type { SecuredRoute } from "../registry.js";

export const userRoutes: SecuredRoute[] = [];
