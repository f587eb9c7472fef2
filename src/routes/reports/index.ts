import { resourceRouter } from "../../http/router.js";

export const reportRoutes = resourceRouter();
