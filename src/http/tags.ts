// The document's tags, in the order the reference page lists them. A route's tag must be one of
// these (typed, and checked against the served document by test/http/openapi-document.test.ts).
export const TAGS = [
  { name: "Service", description: "Health, readiness and this documentation. No credential needed." },
  { name: "Me and tenants", description: "The caller and their client (tenant): settings, plan limits and usage." },
  { name: "Users", description: "People of a client: invitations, roles and deactivation." },
  { name: "Ad accounts", description: "Meta ad accounts of a client. Access tokens are encrypted at rest and never listed." },
  { name: "Quota", description: "Meta Marketing API budgets per ad account, shared by every workflow." },
  { name: "Workflows", description: "n8n workflows of a client and their execution statistics." },
  { name: "Executions", description: "Execution logs reported by n8n, newest first." },
  { name: "Reports", description: "Generated reports and their delivery." },
  {
    name: "API keys",
    description: "Credentials for machines (n8n, the report delivery server): `apk_<prefix>_<secret>`, scoped to one client.",
  },
  { name: "Webhooks", description: "Events from n8n and Authorizer." },
  { name: "Operations", description: "Maintenance jobs (SUPER_ADMIN)." },
] as const;

export type Tag = (typeof TAGS)[number]["name"];
