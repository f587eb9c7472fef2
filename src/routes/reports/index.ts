import { resourceRouter } from "../../http/router.js";
import { create, deliver, list, read, remove, update } from "./handlers.js";
import { createReport, deleteReport, getReport, listReports, recordDelivery, updateReport } from "./routes.js";

export const reportRoutes = resourceRouter()
  .openapi(listReports, list)
  .openapi(createReport, create)
  .openapi(getReport, read)
  .openapi(updateReport, update)
  .openapi(deleteReport, remove)
  .openapi(recordDelivery, deliver);
