import { resourceRouter } from "../../http/router.js";

export const adAccountRoutes = resourceRouter();
