import { resourceRouter } from "../../http/router.js";
import { live, ready } from "./handlers.js";
import { liveness, readiness } from "./routes.js";

export const healthRoutes = resourceRouter().openapi(liveness, live).openapi(readiness, ready);
