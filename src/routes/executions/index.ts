import { resourceRouter } from "../../http/router.js";

export const executionRoutes = resourceRouter();
