import { resourceRouter } from "../../http/router.js";
import { list, read } from "./handlers.js";
import { getExecution, listExecutions } from "./routes.js";

export const executionRoutes = resourceRouter().openapi(listExecutions, list).openapi(getExecution, read);
