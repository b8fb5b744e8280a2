import { app } from "./app";
import { withHotCache } from "./lib/hot-cache";

export default {
	fetch: withHotCache<Env>((request, env, ctx) => app.fetch(request, env, ctx)),
} satisfies ExportedHandler<Env>;
