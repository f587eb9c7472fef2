// Counting SQL-over-HTTP round trips per API request on the shared stack: the Worker sends its
// request id with every SQL request, and the local endpoint counts them per id.
import { inject } from "vitest";

/** A fresh, well-formed request id (the Worker echoes a caller's id and uses it downstream). */
export const traceId = (label = "rt") => `${label}-${crypto.randomUUID()}`;

/** How many SQL-over-HTTP requests the API request with this id made. */
export async function sqlRequestsOf(requestId: string): Promise<number> {
  const base = new URL(inject("sqlEndpointUrl"));
  const res = await fetch(new URL(`/stats/requests/${encodeURIComponent(requestId)}`, base.origin));
  return ((await res.json()) as { requests: number }).requests;
}
