import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from "n8n-workflow";

/**
 * An Automation Platform API key (`apk_…`, created with POST /v1/api-keys) and where the API is.
 * Every request of the node carries `Authorization: Bearer <apiKey>`.
 */
export class AutomationPlatformApi implements ICredentialType {
  name = "automationPlatformApi";

  displayName = "Automation Platform API";

  icon: Icon = {
    light: "file:../nodes/AutomationPlatform/automationPlatform.svg",
    dark: "file:../nodes/AutomationPlatform/automationPlatform.dark.svg",
  };

  documentationUrl =
    "https://github.com/automation-platform/automation-platform-api/blob/main/integrations/n8n-nodes-automation-platform/README.md#credential";

  properties: INodeProperties[] = [
    {
      displayName: "Base URL",
      name: "baseUrl",
      type: "string",
      default: "",
      placeholder: "https://api.example.com",
      required: true,
      description: "The API's root URL, without /v1 (an expression such as {{ $env.AUTOMATION_API_URL }} works too)",
    },
    {
      displayName: "API Key",
      name: "apiKey",
      type: "string",
      typeOptions: { password: true },
      default: "",
      placeholder: "apk_…",
      required: true,
      description: "An API key of your client (apk_…), with the scopes the node's operations need",
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: "generic",
    properties: {
      headers: {
        Authorization: "=Bearer {{$credentials.apiKey}}",
      },
    },
  };

  // Every API key may call this route: 200 with workflows:read, 403 without that scope. Either proves
  // the key; 401 (bad, expired or revoked key) and a wrong base URL are reported as failures.
  test: ICredentialTestRequest = {
    request: {
      baseURL: '={{ String($credentials.baseUrl).replace(/\\/+$/, "").replace(/\\/v1$/, "") }}',
      url: "/v1/workflows",
      qs: { limit: 1 },
      ignoreHttpStatusErrors: true,
    },
    rules: [
      {
        type: "responseSuccessBody",
        properties: {
          key: "error.code",
          value: "unauthorized",
          message: "The API refused this key (401 unauthorized): check the key, its expiry date, and that it was not revoked",
        },
      },
      {
        type: "responseSuccessBody",
        properties: {
          key: "error.code",
          value: "not_found",
          message: "No API route at this Base URL (404): use the API's root URL, without /v1",
        },
      },
      {
        type: "responseSuccessBody",
        properties: {
          key: "error.code",
          value: "unavailable",
          message: "The API is up but its database is unavailable (503): try again shortly",
        },
      },
      {
        type: "responseSuccessBody",
        properties: {
          key: "error.code",
          value: "internal",
          message: "The API failed (500 internal): see its logs",
        },
      },
    ],
  };
}
