declare module "autocannon" {
	interface Histogram {
		average: number;
		p50: number;
		p99: number;
		total: number;
	}
	interface Result {
		requests: Histogram;
		latency: Histogram;
		errors: number;
		timeouts: number;
		non2xx: number;
		"2xx": number;
		/** Seconds the run took. */
		duration: number;
	}
	interface Options {
		url: string;
		connections?: number;
		duration?: number;
		amount?: number;
		headers?: Record<string, string>;
		method?: string;
		body?: string;
	}
	export default function autocannon(options: Options): Promise<Result>;
}
