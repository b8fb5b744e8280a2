import { newsroomTimeZone } from "../../domain/deployment-settings";
import { declareRoute } from "../../lib/route-declaration";
import { loadDashboard } from "../../store/dashboard";
import { DashboardPage } from "../../views/desk/dashboard";
import { chrome, deskFactory, page } from "./context";

/**
 * The newsroom's overview: claims by state, the review queue, claims per assignee, what
 * was published and corrected this week, and the median time from claim to verdict.
 * Every desk role may read it; it shows nothing a checker cannot see elsewhere.
 */
export const deskDashboardRoutes = deskFactory
	.createApp()
	.get(
		"/dashboard",
		declareRoute({ method: "GET", path: "/desk/dashboard", access: { session: "checker" } }),
		async (c) => {
			const now = new Date();
			const data = await loadDashboard(c.var.db, now, newsroomTimeZone(c.env));
			return page(c, <DashboardPage chrome={chrome(c)} data={data} now={now} />);
		},
	);
