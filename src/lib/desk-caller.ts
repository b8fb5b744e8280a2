/**
 * The desk Worker's `PUBLIC` service binding carries these props (wrangler.desk.toml). A
 * binding's props reach `ctx.props` and nothing from outside can set them, so a request
 * carrying them is the desk Worker's, and the only thing it asks is a purge
 * (lib/public-cache `answerDeskPurge`). No imports: the Node-side configs read it too.
 */
export const DESK_CALLER_PROPS = { caller: "desk" } as const;

/** Is this request the desk Worker's, over its `PUBLIC` binding? */
export function fromDeskWorker(ctx: { props?: unknown }): boolean {
	const props = ctx.props as { caller?: unknown } | undefined;
	return props?.caller === DESK_CALLER_PROPS.caller;
}
