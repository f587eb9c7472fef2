// The node's parameters, per resource and operation.
import type { INodeProperties } from "n8n-workflow";

const show = (resource: string, operation: string[]) => ({ show: { resource: [resource], operation } });

export const resourceProperty: INodeProperties = {
  displayName: "Resource",
  name: "resource",
  type: "options",
  noDataExpression: true,
  options: [
    { name: "Ad Account", value: "adAccount" },
    { name: "Execution", value: "execution" },
    { name: "Quota", value: "quota" },
    { name: "Report", value: "report" },
  ],
  default: "execution",
};

export const operationProperties: INodeProperties[] = [
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { resource: ["execution"] } },
    options: [
      {
        name: "Report",
        value: "report",
        description: "Record this execution's status (and output or error) in the API",
        action: "Report an execution",
      },
    ],
    default: "report",
  },
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { resource: ["quota"] } },
    options: [
      {
        name: "Acquire",
        value: "acquire",
        description: "Take points from an ad account's Meta API budget before a Meta call",
        action: "Acquire quota",
      },
      {
        name: "Report Usage",
        value: "reportUsage",
        description: "Send the usage headers (or throttle error) of Meta's answer after a Meta call",
        action: "Report meta usage",
      },
    ],
    default: "acquire",
  },
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { resource: ["adAccount"] } },
    options: [
      {
        name: "Get Credentials",
        value: "getCredentials",
        description: "Get the ad account's Meta access token (needs the ad_accounts:credentials scope)",
        action: "Get ad account credentials",
      },
    ],
    default: "getCredentials",
  },
  {
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    displayOptions: { show: { resource: ["report"] } },
    options: [
      { name: "Create", value: "create", description: "Create a report for the delivery server", action: "Create a report" },
      {
        name: "Record Delivery",
        value: "recordDelivery",
        description: "Record that a report was sent, or that sending it failed",
        action: "Record a report delivery",
      },
    ],
    default: "create",
  },
];

const statusOptions = [
  { name: "Canceled", value: "canceled", description: "Ends the execution as CANCELLED" },
  { name: "Crashed", value: "crashed", description: "Ends the execution as FAILED" },
  { name: "Error", value: "error", description: "Ends the execution as FAILED" },
  { name: "New", value: "new", description: "Recorded as RUNNING" },
  { name: "Running", value: "running", description: "The execution started (recorded as RUNNING)" },
  { name: "Success", value: "success", description: "Ends the execution as SUCCESS" },
  { name: "Unknown", value: "unknown", description: "Recorded as RUNNING" },
  { name: "Waiting", value: "waiting", description: "Recorded as RUNNING" },
];

const itemAsOptions = [
  { name: "Nothing", value: "none" },
  { name: "Error", value: "error" },
  { name: "Input", value: "input" },
  { name: "Logs", value: "logs" },
  { name: "Output", value: "output" },
];

const itemAs = (statuses: string[], fallback: string): INodeProperties => ({
  displayName: "Send Input Item As",
  name: "sendItemAs",
  type: "options",
  options: itemAsOptions,
  default: fallback,
  displayOptions: { show: { resource: ["execution"], operation: ["report"], status: statuses } },
  description: "Which field of the report carries the incoming item's JSON",
});

export const executionProperties: INodeProperties[] = [
  {
    displayName: "Status",
    name: "status",
    type: "options",
    options: statusOptions,
    default: "running",
    displayOptions: show("execution", ["report"]),
    description: "In n8n's words: running at the start of a workflow, success at its end",
  },
  {
    displayName: "Execution ID",
    name: "executionId",
    type: "string",
    default: "={{ $execution.id }}",
    required: true,
    displayOptions: show("execution", ["report"]),
    description: "The execution ID in n8n: the running execution by default. Reports of one execution update one record.",
  },
  {
    displayName: "Find Workflow By",
    name: "workflowBy",
    type: "options",
    options: [
      { name: "ID in N8n", value: "n8nWorkflowId", description: "The workflow's n8nWorkflowId in the API" },
      { name: "ID in the API", value: "workflowId", description: "The API's own workflow ID" },
    ],
    default: "n8nWorkflowId",
    displayOptions: show("execution", ["report"]),
    description: "How the API finds the workflow this execution belongs to",
  },
  {
    displayName: "Workflow ID in N8n",
    name: "n8nWorkflowId",
    type: "string",
    default: "={{ $workflow.id }}",
    required: true,
    displayOptions: { show: { resource: ["execution"], operation: ["report"], workflowBy: ["n8nWorkflowId"] } },
    description: "This workflow by default; the API must know a workflow with this n8nWorkflowId",
  },
  {
    displayName: "Workflow ID",
    name: "workflowId",
    type: "string",
    default: "",
    required: true,
    displayOptions: { show: { resource: ["execution"], operation: ["report"], workflowBy: ["workflowId"] } },
    description: "The API's ID of the workflow",
  },
  itemAs(["new", "running", "waiting", "unknown"], "none"),
  itemAs(["success"], "output"),
  itemAs(["error", "crashed", "canceled"], "error"),
  {
    displayName: "Additional Fields",
    name: "additionalFields",
    type: "collection",
    placeholder: "Add Field",
    default: {},
    displayOptions: show("execution", ["report"]),
    options: [
      { displayName: "Ad Account ID", name: "adAccountId", type: "string", default: "", description: "The API's ID of the ad account" },
      {
        displayName: "API Calls Used",
        name: "apiCallsUsed",
        type: "number",
        typeOptions: { minValue: 0 },
        default: 0,
        description: "Meta API calls this execution made",
      },
      {
        displayName: "Data Processed",
        name: "dataProcessed",
        type: "number",
        typeOptions: { minValue: 0 },
        default: 0,
        description: "Records this execution processed",
      },
      { displayName: "Error", name: "error", type: "json", default: "{}", description: "The error to store (any JSON)" },
      { displayName: "Input", name: "input", type: "json", default: "{}", description: "The input to store (any JSON)" },
      { displayName: "Logs", name: "logs", type: "json", default: "{}", description: "Logs to store (any JSON)" },
      {
        displayName: "Meta Ad Account ID",
        name: "metaAdAccountId",
        type: "string",
        default: "",
        placeholder: "act_123456789",
        description: "Meta's ID of the ad account (act_…)",
      },
      { displayName: "Mode", name: "mode", type: "string", default: "={{ $execution.mode }}", description: "The execution mode in n8n" },
      { displayName: "Output", name: "output", type: "json", default: "{}", description: "The output to store (any JSON)" },
      {
        displayName: "Report",
        name: "report",
        type: "json",
        default:
          '{\n  "title": "",\n  "type": "WEEKLY_STORYTELLING",\n  "periodStart": "",\n  "periodEnd": "",\n  "content": "",\n  "recipients": []\n}',
        description:
          "A report to create with this execution (once per execution): title, type, periodStart, periodEnd, content, recipients",
      },
      { displayName: "Retry Of", name: "retryOf", type: "string", default: "", description: "The n8n execution this one retries" },
      {
        displayName: "Started At",
        name: "startedAt",
        type: "dateTime",
        default: "",
        description: "When the execution started (default for ongoing statuses: now)",
      },
      {
        displayName: "Stopped At",
        name: "stoppedAt",
        type: "dateTime",
        default: "",
        description: "When the execution ended (default for final statuses: now)",
      },
    ],
  },
];

const adAccountId: INodeProperties = {
  displayName: "Ad Account ID",
  name: "adAccountId",
  type: "string",
  default: "",
  required: true,
  description: "The API's ID of the ad account (not Meta's act_… ID)",
};

export const quotaProperties: INodeProperties[] = [
  { ...adAccountId, displayOptions: show("quota", ["acquire", "reportUsage"]) },
  {
    displayName: "Cost",
    name: "cost",
    type: "number",
    typeOptions: { minValue: 1, maxValue: 100 },
    default: 1,
    displayOptions: show("quota", ["acquire"]),
    description: "Points the Meta call scores: 1 for a read, 3 for a write",
  },
  {
    displayName: "Use Case",
    name: "useCase",
    type: "options",
    options: [
      { name: "Ads Insights", value: "ads_insights" },
      { name: "Ads Management", value: "ads_management" },
      { name: "Custom Audience", value: "custom_audience" },
      { name: "Other", value: "other" },
    ],
    default: "ads_management",
    displayOptions: show("quota", ["acquire"]),
    description: "Meta's business use case of the call",
  },
  {
    displayName: "On Quota Exceeded",
    name: "onExceeded",
    type: "options",
    options: [
      {
        name: "Wait and Retry",
        value: "wait",
        description: "Wait the Retry-After the API gives and ask again, up to Max Wait",
      },
      { name: "Fail the Item", value: "fail", description: "Fail at once with a quota error (429)" },
    ],
    default: "wait",
    displayOptions: show("quota", ["acquire"]),
    description: "What to do when the budget is spent or Meta has throttled the account (HTTP 429)",
  },
  {
    displayName: "Max Wait (Seconds)",
    name: "maxWaitSeconds",
    type: "number",
    typeOptions: { minValue: 1, maxValue: 3600 },
    default: 60,
    displayOptions: { show: { resource: ["quota"], operation: ["acquire"], onExceeded: ["wait"] } },
    description: "Longest total wait for quota; beyond it the item fails with the quota error",
  },
  {
    displayName: "Headers Field",
    name: "headersField",
    type: "string",
    default: "headers",
    displayOptions: show("quota", ["reportUsage"]),
    description:
      "Field of the input item holding Meta's response headers (dot notation), e.g. an HTTP Request with Include Response Headers and Status",
  },
  {
    displayName: "Error Field",
    name: "errorField",
    type: "string",
    default: "body.error",
    displayOptions: show("quota", ["reportUsage"]),
    description: "Field of the input item holding Meta's error object (code, error_subcode), if the call failed",
  },
];

export const adAccountProperties: INodeProperties[] = [{ ...adAccountId, displayOptions: show("adAccount", ["getCredentials"]) }];

export const reportProperties: INodeProperties[] = [
  {
    displayName: "Title",
    name: "title",
    type: "string",
    default: "",
    required: true,
    displayOptions: show("report", ["create"]),
  },
  {
    displayName: "Type",
    name: "reportType",
    type: "options",
    options: [
      { name: "Budget Recommendation", value: "BUDGET_RECOMMENDATION" },
      { name: "Custom", value: "CUSTOM" },
      { name: "Monthly Summary", value: "MONTHLY_SUMMARY" },
      { name: "Performance Alert", value: "PERFORMANCE_ALERT" },
      { name: "Weekly Storytelling", value: "WEEKLY_STORYTELLING" },
    ],
    default: "WEEKLY_STORYTELLING",
    displayOptions: show("report", ["create"]),
  },
  {
    displayName: "Period Start",
    name: "periodStart",
    type: "dateTime",
    default: "",
    required: true,
    displayOptions: show("report", ["create"]),
    description: "Start of the period the report covers (UTC when no zone is given)",
  },
  {
    displayName: "Period End",
    name: "periodEnd",
    type: "dateTime",
    default: "",
    required: true,
    displayOptions: show("report", ["create"]),
    description: "End of the period the report covers (UTC when no zone is given)",
  },
  {
    displayName: "Content",
    name: "content",
    type: "string",
    typeOptions: { rows: 6 },
    default: "",
    required: true,
    displayOptions: show("report", ["create"]),
    description: "The report, in Markdown",
  },
  {
    displayName: "Recipients",
    name: "recipients",
    type: "string",
    default: "",
    required: true,
    placeholder: "marketing@example.com, ceo@example.com",
    displayOptions: show("report", ["create"]),
    description: "Email addresses, comma-separated (or an expression giving an array)",
  },
  {
    displayName: "Additional Fields",
    name: "additionalFields",
    type: "collection",
    placeholder: "Add Field",
    default: {},
    displayOptions: show("report", ["create"]),
    options: [
      { displayName: "Ad Account ID", name: "adAccountId", type: "string", default: "", description: "The API's ID of the ad account" },
      {
        displayName: "Execution Log ID",
        name: "executionLogId",
        type: "string",
        default: "",
        description: "The API's ID of the execution that produced it (one report per execution)",
      },
      { displayName: "HTML Content", name: "htmlContent", type: "string", typeOptions: { rows: 4 }, default: "" },
      {
        displayName: "Status",
        name: "status",
        type: "options",
        options: [
          { name: "Generated", value: "GENERATED", description: "Ready for the delivery server" },
          { name: "Draft", value: "DRAFT", description: "Not to be delivered yet" },
        ],
        default: "GENERATED",
      },
      { displayName: "Summary", name: "summary", type: "json", default: "{}", description: "Key figures (a JSON object)" },
      { displayName: "Workflow ID", name: "workflowId", type: "string", default: "", description: "The API's ID of the workflow" },
    ],
  },
  {
    displayName: "Report ID",
    name: "reportId",
    type: "string",
    default: "",
    required: true,
    displayOptions: show("report", ["recordDelivery"]),
    description: "The API's ID of the report",
  },
  {
    displayName: "Delivery Status",
    name: "deliveryStatus",
    type: "options",
    options: [
      { name: "Sent", value: "SENT" },
      { name: "Failed", value: "FAILED" },
    ],
    default: "SENT",
    displayOptions: show("report", ["recordDelivery"]),
    description: "What the delivery did",
  },
  {
    displayName: "Additional Fields",
    name: "additionalFields",
    type: "collection",
    placeholder: "Add Field",
    default: {},
    displayOptions: show("report", ["recordDelivery"]),
    options: [
      {
        displayName: "Delivery Details",
        name: "details",
        type: "json",
        default: "{}",
        description: "What to keep about the delivery (a JSON object): provider IDs, per-recipient results, the error",
      },
      {
        displayName: "Sent At",
        name: "sentAt",
        type: "dateTime",
        default: "",
        description: "When it was sent (SENT only; default: when this is recorded)",
      },
    ],
  },
];
