import { resourceRouter } from "../../http/router.js";
import { create, list, read, update, usage } from "./handlers.js";
import { createClient, getClient, getClientUsage, listClients, updateClient } from "./routes.js";

export const clientRoutes = resourceRouter()
  .openapi(listClients, list)
  .openapi(createClient, create)
  .openapi(getClient, read)
  .openapi(updateClient, update)
  .openapi(getClientUsage, usage);
