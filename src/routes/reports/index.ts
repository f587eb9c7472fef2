import { resourceRouter } from "../../http/router.js";
import { create, list, read, remove, update } from "./handlers.js";
import { createReport, deleteReport, getReport, listReports, updateReport } from "./routes.js";

export const reportRoutes = resourceRouter()
  .openapi(listReports, list)
  .openapi(createReport, create)
  .openapi(getReport, read)
  .openapi(updateReport, update)
  .openapi(deleteReport, remove);
