import { resourceRouter } from "../../http/router.js";
import { create, list, read, remove, update } from "./handlers.js";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "./routes.js";

export const userRoutes = resourceRouter()
  .openapi(listUsers, list)
  .openapi(createUser, create)
  .openapi(getUser, read)
  .openapi(updateUser, update)
  .openapi(deleteUser, remove);
