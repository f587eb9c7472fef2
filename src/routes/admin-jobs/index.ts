import { resourceRouter } from "../../http/router.js";
import { run } from "./handlers.js";
import { runJobRoute } from "./routes.js";

export const adminJobRoutes = resourceRouter().openapi(runJobRoute, run);
