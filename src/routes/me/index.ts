import { resourceRouter } from "../../http/router.js";
import { me } from "./handlers.js";
import { getMe } from "./routes.js";

export const meRoutes = resourceRouter().openapi(getMe, me);
