// Request ids: a caller's well-formed id is echoed so traces join up across services; anything else
// (absent, too long, odd characters that could forge log lines) is replaced.
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function requestIdFrom(header: string | null | undefined): string {
  return header && REQUEST_ID.test(header) ? header : `req_${crypto.randomUUID().replaceAll("-", "")}`;
}
