import { resourceRouter } from "../../http/router.js";

export const userRoutes = resourceRouter();
