// The webhook secret `npm run dev` gives the Worker and the stand-in when no Authorizer is
// configured, so `npm run webhook` can sign events. Local only: never a production value.
export const DEV_WEBHOOK_SECRET = "local-dev-webhook-secret";
