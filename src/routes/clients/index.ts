import { resourceRouter } from "../../http/router.js";

export const clientRoutes = resourceRouter();
