import { resourceRouter } from "../../http/router.js";
import { create, credentials, list, read, remove, update } from "./handlers.js";
import { createAdAccount, deleteAdAccount, getAdAccount, getAdAccountCredentials, listAdAccounts, updateAdAccount } from "./routes.js";

export const adAccountRoutes = resourceRouter()
  .openapi(listAdAccounts, list)
  .openapi(createAdAccount, create)
  .openapi(getAdAccount, read)
  .openapi(updateAdAccount, update)
  .openapi(deleteAdAccount, remove)
  .openapi(getAdAccountCredentials, credentials);
