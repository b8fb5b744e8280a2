/**
 * Bookkeeping a request hands to `waitUntil` (a token's last use, old idempotency keys and
 * rate-limit rows swept) must never fail or slow the answer, so its failure is caught; but a
 * failure swallowed silently hides an outage, so it is logged as one JSON line to be found in
 * the Worker's logs (`wrangler tail`, Workers Logs), named by what failed.
 */
export function logBackgroundFailure(event: string): (error: unknown) => void {
	return (error) => {
		console.error(JSON.stringify({ event, error: String(error) }));
	};
}
