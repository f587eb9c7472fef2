import { resourceRouter } from "../../http/router.js";
import { deliver } from "./handlers.js";
import { recordDelivery } from "./routes.js";

export const reportDeliveryRoutes = resourceRouter().openapi(recordDelivery, deliver);
