import { resourceRouter } from "../../http/router.js";

export const workflowRoutes = resourceRouter();
