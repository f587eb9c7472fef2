import {
  type IExecuteFunctions,
  type IHttpRequestOptions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
  type JsonObject,
  NodeApiError,
  NodeConnectionTypes,
  NodeOperationError,
  sleep,
} from "n8n-workflow";
import {
  adAccountProperties,
  executionProperties,
  operationProperties,
  quotaProperties,
  reportProperties,
  resourceProperty,
} from "./descriptions";
import { buildRequest, ParameterError, type ApiRequest } from "./requests";
import {
  acquireWithWait,
  ApiFailureError,
  apiRoot,
  CREDENTIAL_TYPE,
  call,
  failureDescription,
  failureJson,
  type FullResponse,
  outputOf,
  type Send,
} from "./transport";

export class AutomationPlatform implements INodeType {
  description: INodeTypeDescription = {
    displayName: "Automation Platform",
    name: "automationPlatform",
    icon: { light: "file:automationPlatform.svg", dark: "file:automationPlatform.dark.svg" },
    group: ["transform"],
    version: [1],
    subtitle: '={{ $parameter["resource"] + ": " + $parameter["operation"] }}',
    description: "Report executions, acquire Meta API quota, fetch ad account credentials and deliver reports",
    defaults: { name: "Automation Platform" },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: CREDENTIAL_TYPE, required: true }],
    properties: [
      resourceProperty,
      ...operationProperties,
      ...executionProperties,
      ...quotaProperties,
      ...adAccountProperties,
      ...reportProperties,
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const out: INodeExecutionData[] = [];
    let root: string | undefined;

    for (let i = 0; i < items.length; i++) {
      try {
        // The base URL, read once (an expression in the credential, e.g. $env, resolves the same for every item).
        if (root === undefined) {
          const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE, i);
          try {
            root = apiRoot(credentials.baseUrl);
          } catch (err) {
            throw new NodeOperationError(this.getNode(), (err as Error).message, { itemIndex: i });
          }
        }
        const base = root;
        const send: Send = async (request: ApiRequest) => {
          const options: IHttpRequestOptions = {
            method: request.method,
            url: `${base}${request.path}`,
            json: true,
            returnFullResponse: true,
            ignoreHttpStatusErrors: true,
            headers: { Accept: "application/json" },
          };
          if (request.body !== undefined) options.body = request.body;
          try {
            return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as FullResponse;
          } catch (err) {
            // No answer at all (refused, DNS, timeout): n8n's own wording, plus where it tried.
            throw new NodeApiError(this.getNode(), err as JsonObject, {
              itemIndex: i,
              description: `${request.method} ${base}${request.path} got no answer: check the credential's Base URL and that the API is up.`,
            });
          }
        };

        const resource = this.getNodeParameter("resource", i) as string;
        const operation = this.getNodeParameter("operation", i) as string;
        const param = (name: string, fallback?: unknown) => this.getNodeParameter(name, i, fallback as never) as unknown;
        const request = buildRequest(resource, operation, param, items[i].json, new Date());

        const data =
          resource === "quota" && operation === "acquire"
            ? await acquireWithWait(send, request, {
                onExceeded: this.getNodeParameter("onExceeded", i, "wait") as "wait" | "fail",
                maxWaitSeconds: Number(this.getNodeParameter("maxWaitSeconds", i, 60)),
                sleep,
              })
            : await call(send, request);

        for (const json of outputOf(resource, data)) out.push({ json, pairedItem: { item: i } });
      } catch (err) {
        const error = toNodeError(this, err, i);
        if (this.continueOnFail()) {
          const json = err instanceof ApiFailureError ? failureJson(err.failure) : { error: error.message };
          out.push({ json, error, pairedItem: { item: i } });
          continue;
        }
        throw error;
      }
    }
    return [out];
  }
}

function toNodeError(ctx: IExecuteFunctions, err: unknown, itemIndex: number): NodeApiError | NodeOperationError {
  if (err instanceof NodeApiError || err instanceof NodeOperationError) return err;
  if (err instanceof ApiFailureError) {
    const f = err.failure;
    return new NodeApiError(ctx.getNode(), { ...f, details: f.details ?? [] } as unknown as JsonObject, {
      message: err.message,
      description: failureDescription(f, err.extra),
      httpCode: String(f.httpCode),
      itemIndex,
    });
  }
  if (err instanceof ParameterError) {
    return new NodeOperationError(ctx.getNode(), err.message, { itemIndex, ...(err.description ? { description: err.description } : {}) });
  }
  return new NodeOperationError(ctx.getNode(), err as Error, { itemIndex });
}
